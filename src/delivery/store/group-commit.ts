import type { EnqueueResult, Enqueuer, RowEnqueuer } from './enqueue.js';
import { type QueuedRow, toQueuedRow } from './queued-row.js';

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
 * For replayed batches (L-5) on SQLite: a replay keeps large batches in flight (up to 10,000 events,
 * one per connection), and a transaction of thousands of events costs much less per event than many
 * small ones (each commit rewrites the index pages it touched, see `index-order.ts`). With the
 * replay's default 2 connections a group is mostly one batch, committed while the next one is parsed;
 * with more connections, batches that arrive during a commit share the next one, up to 20,000 events
 * (about a second to commit). Live traffic has its own group commit, so a live request waits at most
 * for the one replay commit already running. 64,000 waiting covers six connections' full batches;
 * beyond that a batch is answered 503 and the replay sends it again a moment later.
 */
export const SQLITE_REPLAY_GROUP_COMMIT: Partial<GroupCommitOptions> = {
  maxGroupEvents: 20_000,
  maxPendingEvents: 64_000,
};

/**
 * For replayed batches on PostgreSQL: at most 2,000 events per transaction (a replay batch of 10,000
 * is committed in five parts, see `commitInParts`). A PostgreSQL enqueue holds an advisory lock per
 * lane it writes to until it commits (`postgres/lane-locks.ts`), and those locks share the server's
 * lock table, sized by `max_locks_per_transaction` × connections: on a server with default settings a
 * transaction of 20,000 users fails with "out of shared memory", where one of 5,000 (live traffic's
 * largest group) does not. More replay connections, which make larger groups, were slower there
 * (bench/RESULTS.md, "Replay of a million events").
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
  /** Its events as rows; emptied once handed to the store, which has its own copy (see below). */
  rows: readonly QueuedRow[];
  readonly size: number;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit (I-5 at speed): every `enqueue` call that arrives while the store is busy, or within
 * the same turn of the event loop, is committed in one store call, so one transaction and one fsync
 * serve many requests. Each call still resolves only after its events are committed, and fails if
 * that commit fails. Commits run one at a time, in arrival order, so lanes keep their order.
 * Events are serialised into rows as they arrive: a call waits for its commit holding a compact string
 * per event rather than the parsed event's objects, which the request can then let go of (with
 * groups of 20,000 replayed events, waiting objects were most of the server's memory).
 */
export function createGroupCommit(store: RowEnqueuer, options: Partial<GroupCommitOptions> = {}): Enqueuer {
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
    const sizes = group.map((entry) => entry.size);
    pendingEvents -= sum(sizes);
    try {
      const rows = group.flatMap((entry) => entry.rows);
      // The group holds its rows from here on; the calls' own copies are not needed any more.
      for (const entry of group) entry.rows = [];
      const result = await commitInParts(store, rows, maxGroupEvents);
      splitResult(sizes, result).forEach((part, i) => group[i]?.resolve(part));
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
      const rows = events.map(toQueuedRow);
      return new Promise<EnqueueResult>((resolve, reject) => {
        waiting.push({ rows, size: rows.length, resolve, reject });
        if (!committing) requestCommit();
      });
    },
  };
}

/**
 * Commits `rows` in transactions of at most `maxEvents`, one after the other so lanes keep their
 * order; only a single call larger than a group has more than one part. A part's limit matters on
 * PostgreSQL, where a transaction locks every lane it writes and the server's lock table is finite
 * (`POSTGRES_REPLAY_GROUP_COMMIT`). Should a later part fail, the call fails and its client sends it
 * again; the parts already committed are then duplicates (I-5), nothing is stored twice.
 */
async function commitInParts(
  store: RowEnqueuer,
  rows: QueuedRow[],
  maxEvents: number,
): Promise<EnqueueResult> {
  let stored = 0;
  let duplicates = 0;
  let duplicateIndexes: number[] | undefined = [];
  for (let offset = 0; rows.length > 0;) {
    // splice, not slice: a part handed to the store is not kept here while the next one commits.
    const part = rows.splice(0, maxEvents);
    const result = await store.enqueueRows(part);
    stored += result.stored;
    duplicates += result.duplicates;
    const at = result.duplicateIndexes;
    duplicateIndexes = at === undefined ? undefined : duplicateIndexes?.concat(at.map((i) => i + offset));
    offset += part.length;
  }
  return duplicateIndexes === undefined ? { stored, duplicates } : { stored, duplicates, duplicateIndexes };
}

/** The oldest waiting calls up to `maxEvents` events (always at least one call, however large). */
function takeGroup(waiting: Waiting[], maxEvents: number): Waiting[] {
  let count = 0;
  let take = 0;
  for (const entry of waiting) {
    if (take > 0 && count + entry.size > maxEvents) break;
    count += entry.size;
    take += 1;
  }
  return waiting.splice(0, take);
}

/**
 * Splits a group's result into one per call: exact when the store says where the duplicates were
 * (`duplicateIndexes`, both stores do), or when nothing was a duplicate or the group is one call;
 * otherwise duplicates are attributed to calls in order (the totals stay exact).
 */
export function splitResult(sizes: readonly number[], result: EnqueueResult): EnqueueResult[] {
  const at = result.duplicateIndexes;
  let start = 0;
  let duplicatesLeft = result.duplicates;
  return sizes.map((size) => {
    const end = start + size;
    const mine = at?.filter((index) => index >= start && index < end).map((index) => index - start);
    const duplicates = mine?.length ?? Math.min(duplicatesLeft, size);
    duplicatesLeft -= duplicates;
    start = end;
    const counts = { stored: size - duplicates, duplicates };
    return mine === undefined ? counts : { ...counts, duplicateIndexes: mine };
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
