import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth, eventually, startTestService, WRITE_KEY } from './harness.js';
import { ADMIN_TOKEN, archiveLines, deliveredNumbers, runReplay, writeGzip } from './replay-harness.js';

/** The bound this test states: a live identify reaches the sandbox within 3 s (three 1-s windows). */
const LIVE_LATENCY_BOUND_MS = 3_000;

describe('L-5 live traffic beside a replay, under a rate limit', () => {
  it('L-5 live events stay under the latency bound while a replay drains at the limit', async () => {
    // 100 calls per second: the replay alone would take ~15 s of the budget, in front of any live event.
    const service = await startTestService({ ADMIN_TOKEN }, { rateLimit: { limit: 100, windowMs: 1_000 } });
    const dir = mkdtempSync(path.join(tmpdir(), 'replay-share-'));
    try {
      const file = path.join(dir, 'backlog.jsonl.gz');
      writeGzip(file, archiveLines(1_500, 100, 'backlog'));
      const replay = await runReplay(service.ingestUrl, [file]);
      expect(replay.code, replay.stderr).toBe(0);
      const sandbox = service.sandbox!;
      const latencies: number[] = [];
      for (let i = 0; i < 16; i += 1) {
        const userId = `live-${i}`;
        const response = await fetch(`${service.ingestUrl}/v1/identify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
          body: JSON.stringify({ userId, traits: { email: `${userId}@example.com` } }),
        });
        expect(response.status).toBe(200);
        const acknowledgedAt = Date.now();
        await eventually(() => sandbox.state().contacts.find((c) => c.external_id === userId), 20_000);
        latencies.push(Date.now() - acknowledgedAt);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(Math.max(...latencies)).toBeLessThan(LIVE_LATENCY_BOUND_MS);
      // The replay went on meanwhile, but has not finished: live traffic did not wait for it.
      const replayed = deliveredNumbers(sandbox, 'Archived Order').size;
      expect(replayed).toBeGreaterThan(100);
      expect(replayed).toBeLessThan(1_400);
      expect(sandbox.requests().filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
