import type { EnqueueResult, Enqueuer, IncomingEvent } from './enqueue.js';

/** Tunables of `createGroupCommit`. */
export interface GroupCommitOptions {
  /** Most events committed in one store call; larger groups wait for the next commit. */
  readonly maxGroupEvents: number;
  /**
   * Most events waiting for a commit. Beyond it `enqueue` fails at once (the server answers 503 and
   * the client retries) instead of buffering without bound while the store is slow.
   */
  readonly maxPendingEvents: number;
  /** Runs the next commit after the current I/O phase; injected so tests control it. */
  readonly schedule: (commit: () => void) => void;
}

/** Defaults for live traffic: a group of up to 5,000 events, 100,000 waiting (~100 MB of events at 1 KB each). */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxGroupEvents: 5_000,
  maxPendingEvents: 100_000,
  schedule: (commit) => setImmediate(commit),
};

/**
 * For replayed batches (L-5) on SQLite: a replay keeps many large batches in flight (one per
 * connection), and a transaction of 20,000 random-key inserts costs less per event than ten of 2,000
 * (each commit rewrites the index pages it touched; larger groups touch each page once for more rows).
 * A group of 20,000 takes about a second to commit; live traffic has its own group commit, so a live
 * request waits at most for the one replay commit already running. 64,000 waiting covers 32
 * connections of 2,000-event batches; beyond that a batch is answered 503 and the replay retries.
 */
export const SQLITE_REPLAY_GROUP_COMMIT: Partial<GroupCommitOptions> = {
  maxGroupEvents: 20_000,
  maxPendingEvents: 64_000,
};

/**
 * For replayed batches on PostgreSQL: at most one replay batch (2,000 events) per transaction. A
 * PostgreSQL enqueue holds an advisory lock per lane it writes to until it commits
 * (`postgres/lane-locks.ts`), and those locks share the server's lock table, sized by
 * `max_locks_per_transaction` × connections: on a server with default settings a transaction of
 * 20,000 users fails with "out of shared memory", where one of 5,000 (live traffic's largest group)
 * does not. More replay connections, which make larger groups, were slower there (bench/RESULTS.md,
 * "Replay of a million events").
 */
export const POSTGRES_REPLAY_GROUP_COMMIT: Partial<GroupCommitOptions> = {
  maxGroupEvents: 2_000,
  maxPendingEvents: 64_000,
};

/** The replay group commit that suits a store engine. */
export function replayGroupCommitFor(engine: 'sqlite' | 'postgres'): Partial<GroupCommitOptions> {
  return engine === 'postgres' ? POSTGRES_REPLAY_GROUP_COMMIT : SQLITE_REPLAY_GROUP_COMMIT;
}

/** `enqueue` was refused because too many events are already waiting for the store. */
export class EnqueueOverloadedError extends Error {
  override readonly name = 'EnqueueOverloadedError';

  constructor(pendingEvents: number) {
    super(`${pendingEvents} events are already waiting for the store`);
  }
}

interface Waiting {
  readonly events: readonly IncomingEvent[];
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit (I-5 at speed): every `enqueue` call that arrives while the store is busy, or within
 * the same turn of the event loop, is committed in one store call, so one transaction and one fsync
 * serve many requests. Each call still resolves only after its events are committed, and fails if
 * that commit fails. Commits run one at a time, in arrival order, so lanes keep their order.
 */
export function createGroupCommit(store: Enqueuer, options: Partial<GroupCommitOptions> = {}): Enqueuer {
  const { maxGroupEvents, maxPendingEvents, schedule } = { ...DEFAULT_GROUP_COMMIT, ...options };
  const waiting: Waiting[] = [];
  let pendingEvents = 0;
  let scheduled = false;
  let committing = false;

  const commitNext = async (): Promise<void> => {
    scheduled = false;
    if (committing || waiting.length === 0) return;
    committing = true;
    const group = takeGroup(waiting, maxGroupEvents);
    const events = group.flatMap((entry) => entry.events);
    pendingEvents -= events.length;
    try {
      const result = await store.enqueue(events);
      splitResult(group, result).forEach((part, i) => group[i]?.resolve(part));
    } catch (error: unknown) {
      for (const entry of group) entry.reject(error);
    } finally {
      committing = false;
      if (waiting.length > 0) requestCommit();
    }
  };
  const requestCommit = (): void => {
    if (scheduled) return;
    scheduled = true;
    schedule(() => void commitNext());
  };

  return {
    enqueue(events) {
      if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
      if (pendingEvents + events.length > maxPendingEvents) {
        return Promise.reject(new EnqueueOverloadedError(pendingEvents));
      }
      pendingEvents += events.length;
      return new Promise<EnqueueResult>((resolve, reject) => {
        waiting.push({ events, resolve, reject });
        if (!committing) requestCommit();
      });
    },
  };
}

/** The oldest waiting calls up to `maxEvents` events (always at least one call, however large). */
function takeGroup(waiting: Waiting[], maxEvents: number): Waiting[] {
  let count = 0;
  let take = 0;
  for (const entry of waiting) {
    if (take > 0 && count + entry.events.length > maxEvents) break;
    count += entry.events.length;
    take += 1;
  }
  return waiting.splice(0, take);
}

/**
 * Splits a group's result into one per call: exact when the store says where the duplicates were
 * (`duplicateIndexes`, both stores do), or when nothing was a duplicate or the group is one call;
 * otherwise duplicates are attributed to calls in order (the totals stay exact).
 */
export function splitResult(
  group: readonly { readonly events: readonly unknown[] }[],
  result: EnqueueResult,
): EnqueueResult[] {
  const at = result.duplicateIndexes;
  let start = 0;
  let duplicatesLeft = result.duplicates;
  return group.map((entry) => {
    const end = start + entry.events.length;
    const mine = at?.filter((index) => index >= start && index < end).map((index) => index - start);
    const duplicates = mine?.length ?? Math.min(duplicatesLeft, entry.events.length);
    duplicatesLeft -= duplicates;
    start = end;
    const counts = { stored: entry.events.length - duplicates, duplicates };
    return mine === undefined ? counts : { ...counts, duplicateIndexes: mine };
  });
}
