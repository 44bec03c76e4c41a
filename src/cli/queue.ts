import type { Logger } from 'pino';
import type { JobStore } from '../delivery/store/job-store.js';
import type { QueueDepth } from '../delivery/store/reports.js';
import { openPostgresStore } from '../delivery/store/postgres/postgres-store.js';
import { openSqliteStore, sqliteStorePath } from '../delivery/store/sqlite/sqlite-store.js';
import { openThreadedSqliteStore } from '../delivery/store/sqlite/thread/threaded-sqlite-store.js';
import { describeDatabaseUrl } from './database-config.js';
import { lockDataDir } from './data-dir-lock.js';

/** Where the queue lives: PostgreSQL when a URL is given, else SQLite in the data directory. */
export interface QueueLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** Most PostgreSQL connections of this process (`serve`; default 10). */
  readonly databasePoolSize?: number;
}

/** The queue as `serve` uses it: the job store, with the durable id cache (C-IDN-3). */
export interface ServeQueue {
  readonly store: JobStore;
  /** Resolves if the store fails for good (SQLite's thread died); never settles otherwise. */
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

/** Where the queue is, for banners and logs: the directory, or the database without its credentials. */
export function describeQueue(location: QueueLocation): string {
  return location.databaseUrl === undefined ? location.dataDir : describeDatabaseUrl(location.databaseUrl);
}

/**
 * Opens the queue for `serve`. SQLite: one process owns the data directory (locked here, unless the
 * caller already holds the lock and passes its release as `heldLock`), its store runs on
 * a thread of its own, and leases still held are a stopped predecessor's, taken back at once.
 * PostgreSQL: shared by every `serve` process on every machine, so no lock, and leases held are other
 * live workers' (a dead worker's expire by themselves: claims pass over unexpired leases only).
 */
export async function openServeQueue(
  location: QueueLocation,
  logger: Logger,
  heldLock?: () => void,
): Promise<ServeQueue> {
  if (location.databaseUrl !== undefined) {
    const store = await openPostgresStore({
      connectionString: location.databaseUrl,
      ...(location.databasePoolSize !== undefined ? { maxConnections: location.databasePoolSize } : {}),
      onConnectionError: (error) =>
        logger.warn({ err: error }, 'a pooled PostgreSQL connection failed; the next query reconnects'),
    });
    return { store, failed: new Promise<Error>(() => undefined), close: () => store.close() };
  }
  const unlock = heldLock ?? (await lockDataDir(location.dataDir));
  // The store runs on its own thread: its synchronous statements and commit fsyncs would otherwise
  // stop this event loop (and every request in flight) for milliseconds at a time.
  const store = await openThreadedSqliteStore({ path: sqliteStorePath(location.dataDir) }).catch(
    (error: unknown) => {
      unlock();
      throw error;
    },
  );
  const recovered = await store.releaseAllLeases();
  if (recovered > 0) logger.info({ recovered }, 'took back the jobs of a stopped process');
  return {
    store,
    failed: store.lost,
    async close() {
      await store.close();
      unlock();
    },
  };
}

/**
 * Opens the queue for a short command (dlq, doctor) beside a running `serve`: SQLite in this thread
 * without the data directory's lock (its WAL lets both work at once), or a small PostgreSQL pool.
 */
export async function openCommandQueue(location: QueueLocation): Promise<JobStore> {
  if (location.databaseUrl !== undefined) {
    return openPostgresStore({ connectionString: location.databaseUrl, maxConnections: 2 });
  }
  return openSqliteStore({ path: sqliteStorePath(location.dataDir) });
}

/**
 * Whether a destination has jobs waiting that this configuration will not deliver: `serve` claims only
 * its configured destinations, so they wait for a process (or a later configuration) that has it.
 */
export function isHeldForOthers(depth: QueueDepth, configured: { has(id: string): boolean }): boolean {
  return !configured.has(depth.destinationId) && depth.pending + depth.parked > 0;
}
