/**
 * The console's history survives a restart: counts recorded by one `serve` are in the queue's database
 * and shown by the next one on the same data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { readServeConfig } from '../../src/cli/config.js';
import { startService, type RunningService } from '../../src/cli/service.js';
import { eventually, validator, WRITE_KEY } from '../e2e/harness.js';
import { ADMIN_TOKEN, identify, sendBatch } from './console-fixture.js';
import { signInHttp } from './console-http.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'console-history-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function start(): Promise<RunningService> {
  const env = { PORT: '0', SANDBOX_PORT: '0', SEGMENT_WRITE_KEY: WRITE_KEY, DATA_DIR: dataDir, ADMIN_TOKEN };
  return startService(readServeConfig(env, process.cwd()), {
    logger: pino({ level: 'silent' }),
    pollMs: 20,
    sandboxOptions: { validator: await validator() },
  });
}

interface HourTotals {
  readonly received: number;
  readonly delivered: number;
}

async function hourTotals(url: string): Promise<HourTotals> {
  const { cookie } = await signInHttp(url);
  const overview = (await (await fetch(`${url}/console/api/overview`, { headers: { cookie } })).json()) as {
    destinations: { flow: { series: Record<string, number[]> } }[];
  };
  const series = overview.destinations[0]!.flow.series;
  const sum = (name: string): number => (series[name] ?? []).reduce((a, b) => a + b, 0);
  return { received: sum('received'), delivered: sum('delivered') };
}

describe('the console history', () => {
  it('is still there after a restart', async () => {
    const first = await start();
    const batch = Array.from({ length: 5 }, (_, i) => identify(`history-${i}`, `history-m-${i}`));
    expect(await sendBatch(first.ingestUrl, batch)).toBe(200);
    await eventually(
      () => (first.sandbox!.state().contacts.length === 5 ? true : undefined),
      15_000,
      'delivery',
    );
    await eventually(async () => ((await hourTotals(first.ingestUrl)).delivered >= 5 ? true : undefined));
    await first.close();

    const second = await start();
    try {
      expect(await hourTotals(second.ingestUrl)).toEqual({ received: 5, delivered: 5 });
    } finally {
      await second.close();
    }
  });
});
