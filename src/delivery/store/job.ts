import type { IntercomFailure } from '../../intercom/outcome.js';
import type { SkipReason } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';

/**
 * `pending` jobs keep their lane in order; a `parked` job (C-RACE-2, user not found) does not block
 * its lane and becomes `pending` again when a later job of its lane completes.
 */
export type JobStatus = 'pending' | 'parked';

/**
 * What an attempt led to: the retry policy's decision (`done`, `retry`, `parked`, `rate_limited`,
 * `dead`, `paused`), `skipped` for a plan with nothing to send, `released` when a stopping worker
 * gave the job back.
 */
export type AttemptDecision =
  'done' | 'retry' | 'parked' | 'rate_limited' | 'dead' | 'paused' | 'skipped' | 'released';

/**
 * L-1: every failed attempt falls into one class, and the class decides what happens next (the table
 * is `FAILURE_CLASSES` in `worker/policy.ts`; docs/behavior.md shows the same rows).
 */
export type FailureClass =
  'rate_limited' | 'token_rejected' | 'transient' | 'waiting_for_identity' | 'permanent';

/** One attempt at delivering a job, kept with the job and with its dead letter. */
export interface AttemptRecord {
  /** When the attempt finished (Unix ms). */
  readonly atMs: number;
  readonly decision: AttemptDecision;
  /** 429 and 401/403 answers do not count towards the retry bounds. */
  readonly counted: boolean;
  /** HTTP calls spent. */
  readonly calls: number;
  /** Intercom's answer when the attempt failed (status, code, message, request id; never a token). */
  readonly failure?: IntercomFailure;
  readonly skipReason?: SkipReason;
  readonly notes?: readonly string[];
  /** L-1: the class of a failed attempt (absent when it succeeded, was skipped or released). */
  readonly failureClass?: FailureClass;
}

/** A stored event waiting for delivery. */
export interface Job {
  /** Position in the store: monotonic, the order of a lane. */
  readonly seq: number;
  readonly sourceId: string;
  readonly messageId: string;
  readonly destinationId: string;
  /** C-RACE-1 ordering key inside the destination (see `lane-key.ts`). */
  readonly laneKey: string;
  readonly event: SegmentEvent;
  /** ISO-8601 time the server received the event. */
  readonly receivedAt: string;
  readonly status: JobStatus;
  /** Counted attempts so far. */
  readonly attempts: number;
  /** First counted attempt (Unix ms); absent before any. */
  readonly firstAttemptAtMs?: number;
  readonly history: readonly AttemptRecord[];
}

/** A job leased to one worker until `lockedUntilMs`. */
export interface ClaimedJob extends Job {
  readonly lockedBy: string;
  readonly lockedUntilMs: number;
}

/** One lane: a destination and the ordering key of a user inside it (C-RACE-1). */
export interface LaneRef {
  readonly destinationId: string;
  readonly laneKey: string;
}
