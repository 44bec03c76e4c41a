import type { Plan } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { AttemptRecord } from './job.js';

/** Why a job was dead-lettered. */
export type DeadReason =
  /** Intercom refused the request for good (400, 422, other 4xx): retrying cannot help. */
  | 'rejected'
  /** C-RACE-2: a track's user never appeared within the bound. */
  | 'user_not_found'
  /** L-1: transient failures (5xx, timeouts, network) lasted past the retry horizon (`retryHorizonHours`). */
  | 'retry_horizon_passed'
  /** The name earlier versions gave `retry_horizon_passed` (a fixed 24 h); kept so their dead letters stay readable. */
  | 'max_age_exceeded'
  /** C-IDN-4: Intercom's 409 named a contact with another external_id, which this event must not overwrite. */
  | 'identity_conflict'
  /** The event could not be mapped (a bug in the mapping; redrive once fixed). */
  | 'mapping_failed'
  /** C-TR-6: the workspace already has its maximum of active event names and this one is new. */
  | 'event_name_limit_exceeded';

/** Every reason, as a record so that adding a `DeadReason` without listing it here fails to compile. */
const DEAD_REASON_TABLE: Readonly<Record<DeadReason, true>> = {
  rejected: true,
  user_not_found: true,
  retry_horizon_passed: true,
  max_age_exceeded: true,
  identity_conflict: true,
  mapping_failed: true,
  event_name_limit_exceeded: true,
};

/** Every dead-letter reason, in a stable order (for usage texts). */
export const DEAD_REASONS: readonly DeadReason[] = Object.keys(DEAD_REASON_TABLE) as DeadReason[];

/** Whether `value` names a dead-letter reason. */
export function isDeadReason(value: string): value is DeadReason {
  return Object.hasOwn(DEAD_REASON_TABLE, value);
}

/** Why a job goes to the dead letters. */
export interface Death {
  readonly reason: DeadReason;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  /** The plan that was attempted, when mapping got that far. */
  readonly plan?: Plan;
}

/** A job that will not be retried: the event, the plan, every attempt and Intercom's last answer. */
export interface DeadLetter extends Death {
  readonly id: number;
  /** The job's sequence number when it died. */
  readonly seq: number;
  readonly sourceId: string;
  readonly messageId: string;
  readonly destinationId: string;
  readonly laneKey: string;
  readonly event: SegmentEvent;
  readonly receivedAt: string;
  readonly attempts: readonly AttemptRecord[];
  readonly diedAtMs: number;
}

/** Which dead letters a redrive or purge applies to; an empty selector means all of them. */
export interface DeadLetterSelector {
  readonly ids?: readonly number[];
  readonly destinationId?: string;
  /** Only dead letters that died for this reason (e.g. redrive `user_not_found` after a backfill). */
  readonly reason?: DeadReason;
}

/** A page of the dead letters, oldest first. */
export interface DeadLetterQuery {
  readonly destinationId?: string;
  readonly reason?: DeadReason;
  /** Only ids greater than this (paging). */
  readonly afterId?: number;
  readonly limit: number;
  /** The most recent first (the console's list) instead of the oldest; `afterId` is then ignored. */
  readonly newestFirst?: boolean;
}

/** The dead letters of the queue, for operators (`dlq`): read, put back, delete. */
export interface DeadLetterStore {
  listDeadLetters(query: DeadLetterQuery): Promise<readonly DeadLetter[]>;
  /** One dead letter by id, or undefined when there is none. */
  deadLetter(id: number): Promise<DeadLetter | undefined>;
  /**
   * L-3: puts dead letters back at the head of their lanes (each before the jobs queued after it
   * died), attempts counted afresh; resolves to how many.
   */
  redriveDeadLetters(selector: DeadLetterSelector): Promise<number>;
  /** Deletes dead letters; resolves to how many. */
  purgeDeadLetters(selector: DeadLetterSelector): Promise<number>;
}
