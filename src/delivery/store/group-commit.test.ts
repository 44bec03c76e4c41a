import { describe, expect, it } from 'vitest';
import type { EnqueueResult, IncomingEvent, RowEnqueuer } from './enqueue.js';
import {
  createGroupCommit,
  EnqueueOverloadedError,
  SQLITE_REPLAY_GROUP_COMMIT,
  replayGroupCommitFor,
  splitResult,
} from './group-commit.js';
import type { QueuedRow } from './queued-row.js';

function incoming(messageId: string): IncomingEvent {
  return {
    sourceId: 'web',
    destinationId: 'main',
    receivedAt: '2024-05-01T12:00:00.000Z',
    event: {
      type: 'track',
      event: 'Clicked',
      userId: 'u1',
      messageId,
      timestamp: '2024-05-01T12:00:00.000Z',
    },
  };
}

/** A store whose commits the test completes by hand, recording each call's message ids. */
class ManualStore implements RowEnqueuer {
  readonly calls: string[][] = [];
  readonly pending: { resolve: (r: EnqueueResult) => void; reject: (e: unknown) => void }[] = [];
  readonly seen = new Set<string>();
  enqueueRows(rows: readonly QueuedRow[]): Promise<EnqueueResult> {
    this.calls.push(rows.map((row) => row.messageId));
    return new Promise((resolve, reject) => {
      const fresh = rows.filter((row) => !this.seen.has(row.messageId));
      for (const row of fresh) this.seen.add(row.messageId);
      this.pending.push({
        resolve: () => resolve({ stored: fresh.length, duplicates: rows.length - fresh.length }),
        reject,
      });
    });
  }
}

/** A manual scheduler: commits run only when the test says so. */
function manualSchedule(): { schedule: (run: () => void) => void; runAll: () => void } {
  const queue: (() => void)[] = [];
  return {
    schedule: (run) => queue.push(run),
    runAll: () => queue.splice(0).forEach((run) => run()),
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('I-5 group commit', () => {
  it('I-5 commits calls that arrive together in one store call, and resolves none before it', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { schedule: timer.schedule });
    let settled = 0;
    const a = enqueuer.enqueue([incoming('a1'), incoming('a2')]).then((r) => ((settled += 1), r));
    const b = enqueuer.enqueue([incoming('b1')]).then((r) => ((settled += 1), r));
    timer.runAll();
    await flush();
    expect(store.calls).toEqual([['a1', 'a2', 'b1']]);
    expect(settled).toBe(0);
    store.pending[0]?.resolve({ stored: 3, duplicates: 0 });
    await expect(a).resolves.toEqual({ stored: 2, duplicates: 0 });
    await expect(b).resolves.toEqual({ stored: 1, duplicates: 0 });
  });

  it('I-5 groups the calls that arrive while a commit runs into the next commit, in order', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { schedule: timer.schedule });
    const first = enqueuer.enqueue([incoming('1')]);
    timer.runAll();
    await flush();
    const later = [enqueuer.enqueue([incoming('2')]), enqueuer.enqueue([incoming('3')])];
    timer.runAll();
    await flush();
    expect(store.calls).toEqual([['1']]);
    store.pending[0]?.resolve({ stored: 1, duplicates: 0 });
    await first;
    timer.runAll();
    await flush();
    expect(store.calls).toEqual([['1'], ['2', '3']]);
    store.pending[1]?.resolve({ stored: 2, duplicates: 0 });
    await expect(Promise.all(later)).resolves.toHaveLength(2);
  });

  it('I-5 fails every call of a group whose commit fails (nothing acknowledged)', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { schedule: timer.schedule });
    const a = enqueuer.enqueue([incoming('a')]);
    const b = enqueuer.enqueue([incoming('b')]);
    timer.runAll();
    await flush();
    const failure = new TypeError('disk full');
    store.pending[0]?.reject(failure);
    await expect(a).rejects.toBe(failure);
    await expect(b).rejects.toBe(failure);
  });

  it('caps a store call at maxGroupEvents: a larger call is committed in parts, one after the other', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { schedule: timer.schedule, maxGroupEvents: 2 });
    const results = [
      enqueuer.enqueue([incoming('a'), incoming('b'), incoming('c')]),
      enqueuer.enqueue([incoming('d')]),
      enqueuer.enqueue([incoming('e')]),
    ];
    for (let i = 0; i < 3; i += 1) {
      timer.runAll();
      await flush();
      // The next part is handed to the store only once this one has committed (lanes keep their order).
      expect(store.calls).toHaveLength(i + 1);
      store.pending[i]?.resolve({ stored: 0, duplicates: 0 });
      await flush();
    }
    await expect(Promise.all(results)).resolves.toEqual([
      { stored: 3, duplicates: 0 },
      { stored: 1, duplicates: 0 },
      { stored: 1, duplicates: 0 },
    ]);
    expect(store.calls).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
  });

  it('I-5 places the duplicates of a call committed in parts at their positions in the call', async () => {
    const committed: string[][] = [];
    const store: RowEnqueuer = {
      enqueueRows: (rows) => {
        committed.push(rows.map((row) => row.messageId));
        const duplicateIndexes = rows.flatMap((row, i) => (row.messageId.startsWith('dup') ? [i] : []));
        return Promise.resolve({
          stored: rows.length - duplicateIndexes.length,
          duplicates: duplicateIndexes.length,
          duplicateIndexes,
        });
      },
    };
    const enqueuer = createGroupCommit(store, { maxGroupEvents: 2 });
    const ids = ['a', 'dup-1', 'dup-2', 'b', 'dup-3'];
    await expect(enqueuer.enqueue(ids.map((id) => incoming(id)))).resolves.toEqual({
      stored: 2,
      duplicates: 3,
      duplicateIndexes: [1, 2, 4],
    });
    expect(committed).toEqual([['a', 'dup-1'], ['dup-2', 'b'], ['dup-3']]);
  });

  it('refuses at once when too many events are waiting, and accepts again once committed', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { schedule: timer.schedule, maxPendingEvents: 2 });
    const accepted = enqueuer.enqueue([incoming('a'), incoming('b')]);
    await expect(enqueuer.enqueue([incoming('c')])).rejects.toBeInstanceOf(EnqueueOverloadedError);
    timer.runAll();
    await flush();
    store.pending[0]?.resolve({ stored: 2, duplicates: 0 });
    await accepted;
    const next = enqueuer.enqueue([incoming('c')]);
    timer.runAll();
    await flush();
    store.pending[1]?.resolve({ stored: 1, duplicates: 0 });
    await expect(next).resolves.toEqual({ stored: 1, duplicates: 0 });
  });

  it('L-5 the replay settings gather the batches of eight connections into one commit, the ninth waits', async () => {
    const store = new ManualStore();
    const timer = manualSchedule();
    const enqueuer = createGroupCommit(store, { ...SQLITE_REPLAY_GROUP_COMMIT, schedule: timer.schedule });
    const batch = (c: number): IncomingEvent[] =>
      Array.from({ length: 2_500 }, (_, i) => incoming(`${c}-${i}`));
    const calls = Array.from({ length: 9 }, (_, c) => enqueuer.enqueue(batch(c)));
    timer.runAll();
    await flush();
    expect(store.calls.map((call) => call.length)).toEqual([20_000]);
    store.pending[0]?.resolve({ stored: 0, duplicates: 0 });
    await flush();
    timer.runAll();
    await flush();
    expect(store.calls.map((call) => call.length)).toEqual([20_000, 2_500]);
    store.pending[1]?.resolve({ stored: 0, duplicates: 0 });
    await expect(Promise.all(calls)).resolves.toHaveLength(9);
  });

  it.each([
    { engine: 'sqlite', events: [2_000, 2_000, 2_000], commits: [6_000] },
    { engine: 'postgres', events: [2_000, 2_000, 2_000], commits: [2_000, 2_000, 2_000] },
  ] as const)(
    'L-5 a replay on $engine commits $events.length batches in $commits.length transaction(s)',
    async ({ engine, events, commits }) => {
      const store = new ManualStore();
      const timer = manualSchedule();
      const enqueuer = createGroupCommit(store, {
        ...replayGroupCommitFor(engine),
        schedule: timer.schedule,
      });
      const calls = events.map((size, c) =>
        enqueuer.enqueue(Array.from({ length: size }, (_, i) => incoming(`${c}-${i}`))),
      );
      for (let n = 0; n < commits.length; n += 1) {
        timer.runAll();
        await flush();
        store.pending[n]?.resolve({ stored: commits[n] ?? 0, duplicates: 0 });
        await flush();
      }
      expect(store.calls.map((call) => call.length)).toEqual(commits);
      await expect(Promise.all(calls)).resolves.toHaveLength(events.length);
    },
  );

  it('answers an empty call without touching the store', async () => {
    const store = new ManualStore();
    const enqueuer = createGroupCommit(store);
    await expect(enqueuer.enqueue([])).resolves.toEqual({ stored: 0, duplicates: 0 });
    expect(store.calls).toEqual([]);
  });
});

describe('splitResult', () => {
  it.each([
    { sizes: [2, 1], result: { stored: 3, duplicates: 0 }, want: [2, 0, 1, 0] },
    { sizes: [3], result: { stored: 1, duplicates: 2 }, want: [1, 2] },
    { sizes: [1, 2, 2], result: { stored: 2, duplicates: 3 }, want: [0, 1, 0, 2, 2, 0] },
  ])('I-5 keeps totals exact for sizes $sizes', ({ sizes, result, want }) => {
    const parts = splitResult(sizes, result);
    expect(parts.flatMap((p) => [p.stored, p.duplicates])).toEqual(want);
  });

  it('I-5 splits exactly by the positions of the duplicates when the store gives them', () => {
    // Positions 1 and 4 of a group of calls sized 2, 1, 2: the first and the last call each had one.
    const parts = splitResult([2, 1, 2], { stored: 3, duplicates: 2, duplicateIndexes: [1, 4] });
    expect(parts).toEqual([
      { stored: 1, duplicates: 1, duplicateIndexes: [1] },
      { stored: 1, duplicates: 0, duplicateIndexes: [] },
      { stored: 1, duplicates: 1, duplicateIndexes: [1] },
    ]);
  });
});
