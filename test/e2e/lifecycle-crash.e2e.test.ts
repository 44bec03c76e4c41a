import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { basicAuth, eventually, startTestService, validator, WRITE_KEY } from './harness.js';
import { freePort, startServeProcess } from './process.js';
import {
  ADMIN_TOKEN,
  archiveLines,
  deliveredNumbers,
  runReplay,
  summaryCount,
  writeGzip,
} from './replay-harness.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lifecycle-crash-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Stored events as `/metrics` counts them. */
async function storedSoFar(ingestUrl: string): Promise<number> {
  const text = await (await fetch(`${ingestUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('ingest_events_stored_total{'));
  return Number(line?.split(' ')[1] ?? 0);
}

describe('L-5 and L-4 across kills', () => {
  it('L-5 a replay killed half-way and run again delivers each event once', async () => {
    const service = await startTestService({ ADMIN_TOKEN });
    try {
      const file = path.join(dir, 'killed.jsonl.gz');
      writeGzip(file, archiveLines(8_000, 200, 'killed'));
      const child = spawn(
        process.execPath,
        // Batches of 500 (not 10,000): the file is then stored over many commits, one at a time.
        [
          'dist/node/cli/main.js',
          'replay',
          '--url',
          service.ingestUrl,
          '--connections',
          '1',
          '--batch-events',
          '500',
          file,
        ],
        {
          env: { PATH: process.env['PATH'] ?? '', ADMIN_TOKEN, SEGMENT_WRITE_KEY: WRITE_KEY },
          stdio: 'ignore',
        },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await eventually(
        async () => ((await storedSoFar(service.ingestUrl)) > 2_000 ? true : undefined),
        60_000,
      );
      child.kill('SIGKILL');
      await exited;
      const before = await storedSoFar(service.ingestUrl);
      expect(before).toBeLessThan(8_000);
      const again = await runReplay(service.ingestUrl, [file]);
      expect(again.code, again.stderr).toBe(0);
      expect(summaryCount(again.stdout, 'stored') + summaryCount(again.stdout, 'duplicates')).toBe(8_000);
      expect(summaryCount(again.stdout, 'duplicates')).toBeGreaterThanOrEqual(before);
      const sandbox = service.sandbox!;
      await eventually(
        () => (deliveredNumbers(sandbox, 'Archived Order').size === 7_800 ? true : undefined),
        240_000,
        'every track of the killed replay',
      );
      expect([...deliveredNumbers(sandbox, 'Archived Order').values()].every((count) => count === 1)).toBe(
        true,
      );
    } finally {
      await service.close();
    }
  }, 300_000);

  it('L-4 a deletion interrupted by a crash of serve completes after the restart', async () => {
    const sandbox: Sandbox = await createSandbox({ validator: await validator(), requestLogLimit: 10_000 });
    const sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
    const port = await freePort();
    const env = {
      PORT: String(port),
      SEGMENT_WRITE_KEY: WRITE_KEY,
      INTERCOM_ACCESS_TOKEN: 'crash-token',
      INTERCOM_API_URL: sandboxUrl,
      DATA_DIR: path.join(dir, 'data'),
      ADMIN_TOKEN,
    };
    const base = `http://127.0.0.1:${port}`;
    let serve = await startServeProcess(env);
    try {
      const identify = await fetch(`${base}/v1/identify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
        body: JSON.stringify({ userId: 'crash-gdpr', traits: { email: 'crash-gdpr@example.com' } }),
      });
      expect(identify.status).toBe(200);
      await eventually(() => sandbox.state().contacts.find((c) => c.external_id === 'crash-gdpr'));
      // Every answer takes a while, so the deletion is in flight when serve is killed.
      sandbox.setFaults({ latencyMs: 1_500 });
      const requested = await fetch(`${base}/v1/deletions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ userIds: ['crash-gdpr'] }),
      });
      expect(requested.status).toBe(202);
      const { deletionId } = (await requested.json()) as { deletionId: string };
      await new Promise((resolve) => setTimeout(resolve, 600));
      serve.child.kill('SIGKILL');
      await serve.exited;
      sandbox.setFaults({ latencyMs: 0 });
      serve = await startServeProcess(env);
      const report = await eventually(
        async () => {
          const answer = await fetch(`${base}/v1/deletions/${deletionId}`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          });
          const body = (await answer.json()) as { status: string };
          return body.status === 'done' ? body : undefined;
        },
        30_000,
        'the deletion after the restart',
      );
      expect(report).toMatchObject({ status: 'done' });
      expect(sandbox.state().contacts.find((c) => c.external_id === 'crash-gdpr')).toBeUndefined();
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
      await sandbox.close();
    }
  }, 120_000);
});
