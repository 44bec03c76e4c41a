import type { LaneRef } from '../job.js';
import type { SqlValues, Statement } from './dialect.js';

/** A statement with the values of its parameters. */
export interface BoundStatement {
  readonly statement: Statement;
  readonly values: SqlValues;
}

/** What one statement returned: its rows (a select, or `RETURNING`) and how many rows it changed. */
export interface QueryResult {
  readonly rows: readonly unknown[];
  readonly changes: number;
}

/**
 * `durable` commits wait until the database has the change on disk (enqueues, dead letters, operator
 * actions: I-5's 200 means durably stored). `relaxed` commits do not wait (the worker's bookkeeping:
 * claims, leases, completions): a crash can at worst undo the last moment of them, and a job is then
 * delivered again (at-least-once), never lost.
 */
export type Durability = 'durable' | 'relaxed';

/**
 * One step of a write: `guard` runs first, and when it changes no row (a lost lease, a receipt already
 * there) the step's other statements do not run, nor, with `onMiss: 'stop'`, any later step.
 */
export interface WriteStep {
  readonly guard?: BoundStatement;
  readonly then?: readonly BoundStatement[];
  readonly onMiss?: 'skip' | 'stop';
}

/** The statements of one transaction, in order. */
export interface WritePlan {
  /**
   * The lanes whose head may move. Where writers run concurrently (PostgreSQL), they are locked first,
   * so that an enqueue and a completion in the same lane cannot both miss each other.
   */
  readonly lanes: readonly LaneRef[];
  readonly steps: readonly WriteStep[];
}

/** What one step did: whether it ran past its guard, and what its last statement returned. */
export interface StepResult extends QueryResult {
  readonly applied: boolean;
}

/** How the store's SQL reaches one engine: single statements, and plans run in one transaction. */
export interface SqlRunner {
  /** Runs one statement on its own; a failure rejects with a `StoreWriteError` naming `operation`. */
  query(operation: string, bound: BoundStatement): Promise<QueryResult>;
  /** Runs a plan in one transaction; resolves to one result per step that was reached. */
  transact(operation: string, durability: Durability, plan: WritePlan): Promise<readonly StepResult[]>;
}

/**
 * A plan's control flow, written once for every engine: yields each statement to run and takes back
 * its result, so a synchronous engine (SQLite, inside its transaction) and an asynchronous one
 * (PostgreSQL) drive the same steps.
 */
export function* planStatements(plan: WritePlan): Generator<BoundStatement, StepResult[], QueryResult> {
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    let last: QueryResult = { rows: [], changes: 0 };
    if (step.guard !== undefined) {
      last = yield step.guard;
      if (last.changes === 0) {
        results.push({ ...last, applied: false });
        if (step.onMiss === 'stop') break;
        continue;
      }
    }
    for (const statement of step.then ?? []) last = yield statement;
    results.push({ ...last, applied: true });
  }
  return results;
}

/** A step that runs `statements` unconditionally. */
export function always(...statements: BoundStatement[]): WriteStep {
  return { then: statements };
}

/** The rows of a result, as the statement's columns make them (the store reads only what it wrote). */
export function rowsOf<R>(result: QueryResult | undefined): readonly R[] {
  return (result?.rows ?? []) as readonly R[];
}

/** Runs one statement in a transaction of its own; resolves to what it returned and changed. */
export async function transactOne(
  runner: SqlRunner,
  operation: string,
  durability: Durability,
  bound: BoundStatement,
): Promise<QueryResult> {
  const [step] = await runner.transact(operation, durability, { lanes: [], steps: [always(bound)] });
  return step ?? { rows: [], changes: 0 };
}
