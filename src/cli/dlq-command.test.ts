import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqliteStorePath } from '../delivery/store/sqlite/sqlite-store.js';
import { dlqCommand } from './dlq-command.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dlq-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await dlqCommand(
    args,
    { DATA_DIR: dataDir },
    { stdin: new PassThrough(), stdout: out.stream, stderr: err.stream },
    new AbortController().signal,
  );
  return { code, out: out.text(), err: err.text() };
}

/** Puts two dead letters in the store, as the worker would after Intercom rejected two tracks. */
async function seedDeadLetters(): Promise<void> {
  const store = openSqliteStore({ path: sqliteStorePath(dataDir) });
  await store.enqueue(
    ['a', 'b'].map((user) => ({
      sourceId: 'default',
      destinationId: 'default',
      receivedAt: '2024-01-01T00:00:00.000Z',
      event: {
        type: 'track' as const,
        messageId: `m-${user}`,
        userId: user,
        event: 'Bad Event',
        timestamp: '2024-01-01T00:00:00.000Z',
      },
    })),
  );
  const jobs = await store.claim({ workerId: 'w', limit: 10, leaseMs: 1000, now: 1 });
  for (const job of jobs) {
    await store.kill(
      job,
      { reason: 'rejected', status: 400, code: 'parameter_invalid', message: 'bad thing' },
      { atMs: 2, decision: 'dead', counted: true, calls: 1 },
      2,
    );
  }
  await store.close();
}

describe('dlq command', () => {
  it('lists dead letters with the reason and Intercom’s answer', async () => {
    await seedDeadLetters();
    const { code, out } = await run('list');
    expect(code).toBe(0);
    expect(out).toMatch(/track "Bad Event" of a {2}rejected: 400 parameter_invalid bad thing/);
    // L-2: the job id the log's failure lines name.
    expect(out).toMatch(/\(job \d+, 1 attempts, message /);
    expect(out).toMatch(/2 dead letters\n$/);
  });

  it('redrives one by id and purges the rest', async () => {
    await seedDeadLetters();
    const listed = (await run('list', '--json')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number });
    expect(listed).toHaveLength(2);
    expect((await run('redrive', '--id', String(listed[0]!.id))).out).toBe('redrove 1 dead letter\n');
    expect((await run('purge', '--all')).out).toBe('purged 1 dead letter\n');
    expect((await run('list')).out).toBe('0 dead letters\n');
    const store = openSqliteStore({ path: sqliteStorePath(dataDir) });
    const claimed = await store.claim({ workerId: 'w2', limit: 10, leaseMs: 1000, now: Date.now() });
    await store.close();
    expect(claimed.map((j) => j.messageId)).toEqual(['m-a']);
  });

  it('filters list, redrive and purge by --reason', async () => {
    await seedDeadLetters();
    expect((await run('list', '--reason', 'user_not_found')).out).toBe('0 dead letters\n');
    expect((await run('list', '--reason', 'rejected')).out).toMatch(/2 dead letters\n$/);
    expect((await run('redrive', '--reason', 'user_not_found')).out).toBe('redrove 0 dead letters\n');
    expect((await run('purge', '--reason', 'rejected')).out).toBe('purged 2 dead letters\n');
  });

  it('refuses an unknown --reason', async () => {
    const { code, err } = await run('list', '--reason', 'nope');
    expect(code).toBe(2);
    expect(err).toMatch(/unknown --reason "nope"/);
  });

  it('refuses a redrive without a selection', async () => {
    const { code, err } = await run('redrive');
    expect(code).toBe(2);
    expect(err).toMatch(/--id N/);
  });
});
