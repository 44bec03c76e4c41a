import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestService, type TestService } from './harness.js';
import {
  ADMIN_TOKEN,
  archiveLines,
  deliveredNumbers,
  runReplay,
  summaryCount,
  writeGzip,
} from './replay-harness.js';

let service: TestService;
let dir: string;

beforeAll(async () => {
  // More lanes in parallel than the default 8: 300 users' events to deliver, on a shared machine.
  service = await startTestService({ ADMIN_TOKEN, DELIVERY_CONCURRENCY: '16' });
  dir = mkdtempSync(path.join(tmpdir(), 'replay-e2e-'));
});

afterAll(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('L-5 replay into the running product', () => {
  it('L-5 a gzip file of 10,000 events over 300 users is delivered once; a second run is all duplicates', async () => {
    const file = path.join(dir, 'archive.jsonl.gz');
    writeGzip(file, archiveLines(10_000, 300, 'big'));
    const first = await runReplay(service.ingestUrl, [file]);
    expect(first.code, first.stderr).toBe(0);
    expect(summaryCount(first.stdout, 'read')).toBe(10_000);
    expect(summaryCount(first.stdout, 'stored')).toBe(10_000);
    expect(summaryCount(first.stdout, 'duplicates')).toBe(0);
    // Plain progress lines while it ran (stderr is not a terminal here).
    expect(first.stderr).toMatch(/replay: read [\d,]+ lines, stored [\d,]+/);
    const sandbox = service.sandbox!;
    await eventually(
      () => (deliveredNumbers(sandbox, 'Archived Order').size === 9_700 ? true : undefined),
      300_000,
      'every archived track',
    );
    expect([...deliveredNumbers(sandbox, 'Archived Order').values()].every((count) => count === 1)).toBe(
      true,
    );
    expect(sandbox.state().contacts.filter((c) => c.external_id?.startsWith('big-user-'))).toHaveLength(300);

    const second = await runReplay(service.ingestUrl, [file]);
    expect(second.code).toBe(0);
    expect(summaryCount(second.stdout, 'stored')).toBe(0);
    expect(summaryCount(second.stdout, 'duplicates')).toBe(10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveredNumbers(sandbox, 'Archived Order').size).toBe(9_700);
    expect(sandbox.state().events.filter((e) => e.event_name === 'Archived Order')).toHaveLength(9_700);
  }, 420_000);

  it('L-5 reports each bad line with its number and reason, keeps the good ones, and exits 1', async () => {
    const good = archiveLines(4, 1, 'mixed');
    const lines = [
      good[0]!,
      '{"type": "track", oops',
      good[1]!,
      '',
      '[1]',
      good[2]!,
      JSON.stringify({ type: 'track', userId: 'x' }),
      good[3]!,
    ];
    const file = path.join(dir, 'mixed.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = await runReplay(service.ingestUrl, [file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:2: invalid JSON`);
    expect(run.stderr).toContain(`${file}:5: a line must be a JSON object`);
    expect(run.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:7: .*event`));
    expect(summaryCount(run.stdout, 'stored')).toBe(4);
    expect(summaryCount(run.stdout, 'rejected')).toBe(3);
  });

  it('L-5 --dry-run counts without sending; --from/--to keep events of the window only', async () => {
    const file = path.join(dir, 'window.jsonl');
    writeFileSync(file, `${archiveLines(11, 1, 'window').join('\n')}\n`);
    const dry = await runReplay(service.ingestUrl, ['--dry-run', file]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run');
    expect(summaryCount(dry.stdout, 'stored')).toBe(11);
    // Tracks are one second apart from 2024-03-02T00:00:00Z; the identify is from 2024-03-01.
    const windowed = await runReplay(service.ingestUrl, [
      '--from',
      '2024-03-02T00:00:02Z',
      '--to',
      '2024-03-02T00:00:05Z',
      file,
    ]);
    expect(summaryCount(windowed.stdout, 'stored')).toBe(3);
    expect(summaryCount(windowed.stdout, 'outside --from/--to')).toBe(8);
  });

  it('L-5 the replay route refuses without the admin credential', async () => {
    const response = await fetch(`${service.ingestUrl}/v1/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      body: JSON.stringify({ batch: [] }),
    });
    expect(response.status).toBe(403);
    const missing = await fetch(`${service.ingestUrl}/v1/replay`, { method: 'POST', body: '{"batch":[]}' });
    expect(missing.status).toBe(401);
  });
});
