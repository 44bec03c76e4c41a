import type { AttemptRecord } from './job.js';

/** Attempt histories keep their most recent entries only, so a job's row stays small. */
export const MAX_ATTEMPT_HISTORY = 200;

/** A job's history with `record` appended, its oldest entries dropped past `MAX_ATTEMPT_HISTORY`. */
export function appendAttempt(history: readonly AttemptRecord[], record: AttemptRecord): AttemptRecord[] {
  return [...history, record].slice(-MAX_ATTEMPT_HISTORY);
}

/** How a finished job is counted in the delivery counts: `delivered` or `skipped:<reason>`. */
export function completedResult(record: AttemptRecord): string {
  return record.skipReason === undefined ? 'delivered' : `skipped:${record.skipReason}`;
}
