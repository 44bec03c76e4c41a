import { claimAcceptedFollowers } from '../../follower-claim.js';
import type { JobStore } from '../../job-store.js';
import { toQueuedRow } from '../../queued-row.js';
import type { SqliteStoreOptions } from '../sqlite-store.js';
import { siblingModule, startModuleThread } from './module-thread.js';
import {
  type CheckpointThreadData,
  ID_CACHE_METHODS,
  STORE_THREAD_METHODS,
  type StoreThreadApi,
  type StoreThreadData,
  type StoreThreadError,
} from './protocol.js';
import { StoreThreadConnection } from './thread-connection.js';

/** The SQLite job store served by a thread of its own. */
export interface ThreadedSqliteStore extends JobStore {
  /** Settles once the thread has opened (and migrated) the database. */
  readonly opened: Promise<void>;
  /** Resolves if the thread stops without `close()` (see `StoreThreadConnection.lost`). */
  readonly lost: Promise<StoreThreadError>;
  /** Gives back every lease (at start-up: this process owns the data directory, so leases are a predecessor's). */
  releaseAllLeases(): Promise<number>;
}

/**
 * How often the checkpoint thread copies the WAL into the database file: once a second. A busy store
 * changes the same index pages in commit after commit, and a checkpoint copies each page once however
 * many commits changed it since the last one; every 50 ms, a million replayed events were stored at
 * 15,200 events/s, once a second at 18,300 (bench/RESULTS.md). Commits never wait for it; the WAL holds
 * about a second of writes more, and the writer's backstop (`BACKSTOP_CHECKPOINT_BYTES`) still bounds it.
 */
export const CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * Opens the SQLite job store on its own thread (see `store-thread.ts`) and resolves once it is open
 * and migrated; rejects with the thread's error (a schema too new, a file that cannot be opened)
 * otherwise. On disk, a second thread checkpoints the WAL (`checkpoint-thread.ts`).
 */
export async function openThreadedSqliteStore(options: SqliteStoreOptions): Promise<ThreadedSqliteStore> {
  const onDisk = options.path !== ':memory:';
  const data: StoreThreadData = { path: options.path, checkpoints: onDisk ? 'external' : 'auto' };
  const worker = await startModuleThread(siblingModule(import.meta.url, 'store-thread'), data, {
    // The thread holds little JavaScript (rows in transit, query results): a small young generation
    // keeps its share of the process's memory small; the old generation is capped well above need.
    maxYoungGenerationSizeMb: 4,
    maxOldGenerationSizeMb: 256,
  });
  const connection = new StoreThreadConnection(worker);
  await connection.opened;
  if (onDisk) {
    const checkpointData: CheckpointThreadData = { path: options.path, intervalMs: CHECKPOINT_INTERVAL_MS };
    connection.attachCheckpointer(
      await startModuleThread(siblingModule(import.meta.url, 'checkpoint-thread'), checkpointData, {
        maxYoungGenerationSizeMb: 1,
        maxOldGenerationSizeMb: 16,
      }),
    );
  }
  return threadedSqliteStore(connection);
}

/**
 * The store over a connection to its thread: every method is a message to it, made from the thread's
 * method lists. Accepted events are serialised here (`toQueuedRow`), so the thread only runs the
 * statements; the follower predicate runs here, between the two halves of a follower claim.
 */
export function threadedSqliteStore(connection: StoreThreadConnection): ThreadedSqliteStore {
  const store = forwards<StoreThreadApi>(STORE_THREAD_METHODS, (method, args) =>
    connection.call('store', method, args),
  );
  const { enqueueRows, followerCandidates, leaseFollowers, ...served } = store;
  return {
    ...served,
    enqueue: (events) => enqueueRows(events.map(toQueuedRow)),
    enqueueRows,
    claimFollowers: (head, limit, accepts, nowMs) =>
      claimAcceptedFollowers({ followerCandidates, leaseFollowers }, head, limit, accepts, nowMs),
    idCache: forwards<JobStore['idCache']>(ID_CACHE_METHODS, (method, args) =>
      connection.call('idCache', method, args),
    ),
    opened: connection.opened,
    lost: connection.lost,
    close: () => connection.close(),
  };
}

/** An object with one method per name of `methods`, each sending its name and arguments. */
function forwards<Api>(
  methods: Readonly<Record<keyof Api, true>>,
  send: (method: string, args: readonly unknown[]) => Promise<unknown>,
): Api {
  const entries = Object.keys(methods).map((method) => [method, (...args: unknown[]) => send(method, args)]);
  // Each method of `Api` is in `methods` (checked with `satisfies` where the lists are declared), and
  // each forward resolves to what the thread's method resolved to.
  return Object.fromEntries(entries) as Api;
}
