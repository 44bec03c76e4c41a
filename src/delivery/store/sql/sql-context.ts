import { claimStatement } from './claim-query.js';
import type { SqlDialect } from './dialect.js';
import { jobStatements, type JobStatements } from './job-statements.js';
import { laneStatements, type LaneStatements } from './lane-statements.js';
import type { SqlRunner } from './sql-runner.js';

/** What the store's roles written in SQL need: an engine's runner and dialect, and the compiled statements. */
export interface SqlContext {
  readonly runner: SqlRunner;
  readonly dialect: SqlDialect;
  readonly lanes: LaneStatements;
  readonly jobs: JobStatements;
}

/** Compiles the shared statements for one engine. */
export function sqlContext(runner: SqlRunner, dialect: SqlDialect): SqlContext {
  return {
    runner,
    dialect,
    lanes: laneStatements(dialect),
    jobs: jobStatements(dialect, claimStatement(dialect)),
  };
}
