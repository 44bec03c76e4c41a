import type pg from 'pg';
import { StoreWriteError } from '../errors.js';
import type { Durability } from '../sql/sql-runner.js';

/**
 * Runs `work` in one transaction on one pooled connection; failures become a typed `StoreWriteError`.
 * A `relaxed` transaction commits without waiting for the WAL flush (`synchronous_commit = off`), as
 * the SQLite store commits the worker's bookkeeping without fsync (see `Durability`).
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  operation: string,
  durability: Durability,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error: unknown) {
    throw new StoreWriteError(operation, { cause: error });
  }
  // A checked-out connection the server drops between two queries (a restart sends every backend a
  // FATAL) reports it as an `error` event, which would stop the process without a listener; the
  // query that follows fails, and so does this transaction (503, retried).
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  let failed = false;
  try {
    await client.query(durability === 'relaxed' ? 'BEGIN; SET LOCAL synchronous_commit TO OFF' : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error: unknown) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw new StoreWriteError(operation, { cause: broken ?? error });
  } finally {
    client.off('error', onError);
    // After a failure the connection may be dead: the pool closes it rather than hand it out again.
    client.release(broken ?? failed);
  }
}
