import type Database from 'better-sqlite3';
import { StoreWriteError } from '../errors.js';
import {
  type BoundStatement,
  type Durability,
  planStatements,
  type QueryResult,
  type SqlRunner,
} from '../sql/sql-runner.js';

/** The SQL runner of a better-sqlite3 connection, plus its transactions for engine-specific writes. */
export interface SqliteRunner extends SqlRunner {
  /** Runs `work` in one IMMEDIATE transaction; failures become a typed `StoreWriteError`. */
  write<T>(operation: string, durability: Durability, work: () => T): Promise<T>;
  /** The connection's prepared statement for `sql` (prepared once). */
  prepare(sql: string): Database.Statement;
}

/**
 * Runs the store's SQL on one connection. better-sqlite3 is synchronous: each call runs to its end
 * here, and its throws become rejected promises with a typed error. Statements are prepared once.
 */
export function createSqliteRunner(db: Database.Database): SqliteRunner {
  const prepared = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = prepared.get(sql);
    if (statement === undefined) prepared.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  const exec = ({ statement, values }: BoundStatement): QueryResult => {
    const ready = prepare(statement.sql);
    if (!ready.reader) return { rows: [], changes: ready.run(values).changes };
    const rows = ready.all(values);
    return { rows, changes: rows.length };
  };
  const write = <T>(operation: string, durability: Durability, work: () => T): Promise<T> => {
    // Relaxed commits skip the fsync; the next durable commit syncs the WAL, theirs included.
    if (durability === 'relaxed') db.pragma('synchronous = NORMAL');
    try {
      return Promise.resolve(db.transaction(work).immediate());
    } catch (error: unknown) {
      return Promise.reject(new StoreWriteError(operation, { cause: error }));
    } finally {
      if (durability === 'relaxed') db.pragma('synchronous = FULL');
    }
  };
  return {
    write,
    prepare,
    query(operation, bound) {
      try {
        return Promise.resolve(exec(bound));
      } catch (error: unknown) {
        return Promise.reject(new StoreWriteError(operation, { cause: error }));
      }
    },
    // One writer per file and one transaction at a time: lanes need no locks here.
    transact: (operation, durability, plan) =>
      write(operation, durability, () => {
        const steps = planStatements(plan);
        let next = steps.next();
        while (next.done !== true) next = steps.next(exec(next.value));
        return next.value;
      }),
  };
}
