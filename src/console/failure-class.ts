import type { DeadReason } from '../delivery/store/dead-letters.js';
import type { AttemptRecord } from '../delivery/store/job.js';

/** L-1's classes of a failed attempt, as the console names them. */
export type FailureClass =
  'rate_limited' | 'token_rejected' | 'transient' | 'waiting_for_identity' | 'permanent';

/** What each dead-letter reason says about the failure that caused it (L-1). */
const DEAD_REASON_CLASS: Readonly<Record<DeadReason, FailureClass>> = {
  rejected: 'permanent',
  event_name_limit_exceeded: 'permanent',
  mapping_failed: 'permanent',
  max_age_exceeded: 'transient',
  user_not_found: 'waiting_for_identity',
};

/** The class of the failure that made a dead letter (L-1). */
export function deadReasonClass(reason: DeadReason): FailureClass {
  return DEAD_REASON_CLASS[reason];
}

/**
 * The one place the console reads a failure's class (L-1). Today the class follows from the policy's
 * decision (`deadReasonClass` reads a dead letter's).
 * TODO(#14): read the class the delivery policy records with each attempt, when it records one.
 */
export function failureClass(record: AttemptRecord): FailureClass | undefined {
  switch (record.decision) {
    case 'rate_limited':
      return 'rate_limited';
    case 'paused':
      return 'token_rejected';
    case 'retry':
      return 'transient';
    case 'parked':
      return 'waiting_for_identity';
    case 'dead':
      return 'permanent';
    case 'done':
    case 'skipped':
    case 'released':
      return undefined;
  }
}
