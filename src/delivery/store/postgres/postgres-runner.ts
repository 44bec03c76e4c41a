import type pg from 'pg';
import { StoreWriteError } from '../errors.js';
import { positionalValues } from '../sql/dialect.js';
import { type BoundStatement, planStatements, type QueryResult, type SqlRunner } from '../sql/sql-runner.js';
import { lockLanes } from './lane-locks.js';
import { withTransaction } from './transaction.js';

async function exec(
  client: pg.Pool | pg.PoolClient,
  { statement, values }: BoundStatement,
): Promise<QueryResult> {
  const result = await client.query(statement.sql, positionalValues(statement, values));
  return { rows: result.rows, changes: result.rowCount ?? result.rows.length };
}

/**
 * Runs the store's SQL on a pool: a single statement on any pooled connection (the pool handles a
 * connection that fails), a plan in one transaction with its lanes locked first.
 */
export function createPostgresRunner(pool: pg.Pool): SqlRunner {
  return {
    async query(operation, bound) {
      try {
        return await exec(pool, bound);
      } catch (error: unknown) {
        throw new StoreWriteError(operation, { cause: error });
      }
    },
    transact: (operation, durability, plan) =>
      withTransaction(pool, operation, durability, async (client) => {
        await lockLanes(client, plan.lanes);
        const steps = planStatements(plan);
        let next = steps.next();
        while (next.done !== true) next = steps.next(await exec(client, next.value));
        return next.value;
      }),
  };
}
