import pg from 'pg';
import type { JobStore } from '../job-store.js';
import { toQueuedRow } from '../queued-row.js';
import { StoreWriteError } from '../errors.js';
import { sqlContext } from '../sql/sql-context.js';
import { createSqlRoles } from '../sql/sql-roles.js';
import { POSTGRES_DIALECT } from './dialect.js';
import { enqueueRows } from './enqueue.js';
import { createPostgresRunner } from './postgres-runner.js';
import { migratePostgres } from './schema.js';
import { withTransaction } from './transaction.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Pool size of this process (default 10). */
  readonly maxConnections?: number;
  /**
   * Told when an idle pooled connection fails (the server restarted, the network dropped it). The pool
   * discards that connection and the next query opens a new one; without a listener, Node would take
   * the pool's `error` event for an uncaught error and stop the process.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** PostgreSQL's type id of BIGINT (`seq`, ids, Unix-ms times, counts). */
const INT8_OID = 20;

/**
 * BIGINT columns as numbers: node-postgres returns them as strings because they may exceed 2^53, but
 * the store's seqs, ids, Unix-ms times and counts stay far below that, so both engines give the same
 * rows (`sql/rows.ts`). Set on this store's pool only.
 */
const parserOf = pg.types.getTypeParser as (oid: number, format?: string) => (value: string) => unknown;
const types: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: string) =>
    oid === INT8_OID ? (value: string): number => Number(value) : parserOf(oid, format),
};

/** Connects, migrates and returns the PostgreSQL job store (many worker processes on many machines). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<JobStore> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
  });
  pool.on('error', options.onConnectionError ?? (() => undefined));
  try {
    await migratePostgres(pool);
  } catch (error: unknown) {
    await pool.end();
    throw new StoreWriteError('migrate', { cause: error });
  }
  return createPostgresJobStore(pool);
}

/** The job store (the same semantics as the SQLite store, for many processes) and id cache over a pool. */
export function createPostgresJobStore(pool: pg.Pool): JobStore {
  return {
    ...createSqlRoles(sqlContext(createPostgresRunner(pool), POSTGRES_DIALECT)),
    enqueue: (events) =>
      withTransaction(pool, 'enqueue', 'durable', (client) => enqueueRows(client, events.map(toQueuedRow))),
    enqueueRows: (rows) => withTransaction(pool, 'enqueue', 'durable', (client) => enqueueRows(client, rows)),
    close: () => pool.end(),
  };
}
