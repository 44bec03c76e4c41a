import type { FollowerLeasing } from '../follower-claim.js';
import type { JobStore } from '../job-store.js';
import { createSqlDeadLetters } from './dead-letters.js';
import { createSqlErasures } from './erasures.js';
import { createSqlFlowHistory } from './flow-history.js';
import { createSqlIdCache } from './id-cache.js';
import { createSqlLeases } from './job-leases.js';
import { createSqlLaneProbe } from './lane-probe.js';
import { createSqlOutcomes } from './job-outcomes.js';
import { createSqlPauses } from './pauses.js';
import { createSqlReports } from './reports.js';
import type { SqlContext } from './sql-context.js';

/** Every role of the job store except what each engine does its own way (enqueue, close). */
export type SqlStoreRoles = Omit<JobStore, 'enqueue' | 'enqueueRows' | 'close'> & FollowerLeasing;

/** The store's roles written once in SQL, for the engine whose runner and dialect `context` holds. */
export function createSqlRoles(context: SqlContext): SqlStoreRoles {
  return {
    ...createSqlLeases(context),
    ...createSqlLaneProbe(context),
    ...createSqlOutcomes(context),
    ...createSqlDeadLetters(context),
    ...createSqlPauses(context),
    ...createSqlReports(context),
    ...createSqlErasures(context),
    ...createSqlFlowHistory(context),
    idCache: createSqlIdCache(context),
  };
}
