import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EnqueueResult } from '../enqueue.js';
import type { FollowerLeasing } from '../follower-claim.js';
import type { JobStore } from '../job-store.js';
import { type QueuedRow, toQueuedRow } from '../queued-row.js';
import { sqlContext } from '../sql/sql-context.js';
import { createSqlRoles } from '../sql/sql-roles.js';
import { transactOne } from '../sql/sql-runner.js';
import { SQLITE_DIALECT } from './dialect.js';
import { enqueueRows } from './enqueue.js';
import { migrate } from './schema.js';
import { createSqliteRunner } from './sqlite-runner.js';

/** Where `openSqliteStore` puts its file inside the data directory. */
export function sqliteStorePath(dataDir: string): string {
  return path.join(dataDir, 'delivery.sqlite');
}

/** Options of the embedded store. */
export interface SqliteStoreOptions {
  /** Database file (its directory is created), or `:memory:` for a throwaway store. */
  readonly path: string;
  /**
   * `external`: another connection checkpoints the WAL (`thread/checkpoint-thread.ts`), so commits
   * do not copy pages into the database file and fsync it themselves; this connection checkpoints
   * only if the WAL grows past a backstop. Default `auto`: SQLite's own checkpoints every 1,000 pages.
   */
  readonly checkpoints?: 'auto' | 'external';
}

/**
 * WAL size after which a store with external checkpoints checkpoints anyway. Under a
 * steady stream of large commits (a replay's groups of up to 20,000 events each write thousands of
 * index pages) the WAL outgrows a smaller bound while the checkpoint thread copies it, and every
 * commit then also checkpointed on the writer's thread: at 40 MB, a million replayed events were
 * stored 13 % slower (bench/RESULTS.md). The WAL file keeps its largest size on disk.
 */
export const BACKSTOP_CHECKPOINT_BYTES = 200 * 1024 * 1024;

/**
 * Page size of a new database file (an existing one keeps the size it was made with). A replay's
 * group inserts into random places of two indexes (receipts by messageId, jobs by lane), so each
 * commit rewrites pages all over them; with 16 KB pages there are a quarter as many to find, read
 * and write for the same rows, and a million replayed events were stored about a quarter faster than
 * with SQLite's default 4 KB (bench/RESULTS.md, "Replay of a million events"). The cost: a small
 * commit (a live request) writes larger pages, and live ingestion's ceiling was about a tenth lower.
 */
export const NEW_DATABASE_PAGE_BYTES = 16_384;

/** The embedded job store (one process, better-sqlite3 in WAL mode), with what its thread needs. */
export interface SqliteJobStore extends JobStore, FollowerLeasing {
  /** `enqueue` of events already serialised (what the store thread receives). */
  enqueueRows(rows: readonly QueuedRow[]): Promise<EnqueueResult>;
  /**
   * Gives back every lease on the file. Only for a process that is the file's sole worker (the
   * embedded store's normal setup) at startup: the jobs a killed predecessor held run again at once
   * instead of after their leases expire. Never call it while another process delivers from the file.
   */
  releaseAllLeases(): Promise<number>;
}

/** Opens (and migrates) the embedded SQLite job store. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteJobStore {
  if (options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  // WAL lets readers (health, metrics, the dlq command) run beside the writer. synchronous=FULL
  // fsyncs the WAL on every commit: I-5 promises "200 means durably stored" even across power loss,
  // not only across a crash of this process (which NORMAL would cover). The cost is paid once per
  // batch because enqueue commits a whole batch in one transaction (group commit). The worker's own
  // bookkeeping commits with NORMAL (`relaxed`, see `sqlite-runner.ts`): a power cut can at worst
  // undo a completion, and the job is then delivered again (at-least-once), never lost.
  db.pragma(`page_size = ${NEW_DATABASE_PAGE_BYTES}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (options.checkpoints === 'external') {
    const pageBytes = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`wal_autocheckpoint = ${Math.ceil(BACKSTOP_CHECKPOINT_BYTES / pageBytes)}`);
  }
  migrate(db);
  return createSqliteJobStore(db);
}

const RELEASE_ALL_LEASES = SQLITE_DIALECT.compile(
  () => 'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE locked_until_ms IS NOT NULL',
);

/** The job store over an open, migrated SQLite database (also the durable id cache, C-IDN-3). */
export function createSqliteJobStore(db: Database.Database): SqliteJobStore {
  const runner = createSqliteRunner(db);
  const context = sqlContext(runner, SQLITE_DIALECT);
  return {
    ...createSqlRoles(context),
    enqueue: (events) => enqueueRows(runner, events.map(toQueuedRow)),
    enqueueRows: (rows) => enqueueRows(runner, rows),
    releaseAllLeases: async () =>
      (
        await transactOne(runner, 'release all leases', 'durable', {
          statement: RELEASE_ALL_LEASES,
          values: {},
        })
      ).changes,
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}
