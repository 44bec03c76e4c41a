import type { DeadLetter, DeadReason } from '../delivery/store/dead-letters.js';
import type { AttemptRecord, FailureClass } from '../delivery/store/job.js';

export type { FailureClass };

/** What each dead-letter reason says about the failure that caused it (L-1). */
const DEAD_REASON_CLASS: Readonly<Record<DeadReason, FailureClass>> = {
  rejected: 'permanent',
  event_name_limit_exceeded: 'permanent',
  mapping_failed: 'permanent',
  identity_conflict: 'permanent',
  retry_horizon_passed: 'transient',
  max_age_exceeded: 'transient',
  user_not_found: 'waiting_for_identity',
};

/**
 * The class of the failure that made a dead letter (L-1): the one the policy recorded with its last
 * attempt, or, for dead letters of versions that recorded none, the one its reason implies.
 */
export function deadLetterClass(letter: Pick<DeadLetter, 'reason' | 'attempts'>): FailureClass {
  return letter.attempts.at(-1)?.failureClass ?? DEAD_REASON_CLASS[letter.reason];
}

/**
 * The one place the console reads a failed attempt's class (L-1): the class the delivery policy
 * recorded with it. Attempts stored by versions that recorded none are classed by their decision.
 */
export function failureClass(record: AttemptRecord): FailureClass | undefined {
  if (record.failureClass !== undefined) return record.failureClass;
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
    case 'waiting':
      return undefined;
  }
}
