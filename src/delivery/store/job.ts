import type { IntercomFailure } from '../../intercom/outcome.js';
import type { MappingWarning, SkipReason } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { ErasureTask } from './erasures.js';

/**
 * `pending` jobs keep their lane in order; a `parked` job (C-RACE-2, user not found) does not block
 * its lane and becomes `pending` again when a later job of its lane completes.
 */
export type JobStatus = 'pending' | 'parked';

/**
 * What an attempt led to: the retry policy's decision (`done`, `retry`, `parked`, `rate_limited`,
 * `dead`, `paused`), `skipped` for a plan with nothing to send, `released` when a stopping worker
 * gave the job back, `waiting` when a lead merge waits for the earlier jobs of the lead's lane (C-IDN-5).
 */
export type AttemptDecision =
  'done' | 'retry' | 'parked' | 'rate_limited' | 'dead' | 'paused' | 'skipped' | 'released' | 'waiting';

/**
 * Why a job finished without a call: the mapping's reasons, or L-5's `older_than_delivered` (a replayed
 * identify older than the attributes already delivered for its user).
 */
export type JobSkipReason = SkipReason | 'older_than_delivered';

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
  readonly skipReason?: JobSkipReason;
  readonly notes?: readonly string[];
  /** What the mapping left out of the plan and why (field names, never values), so nothing vanishes unseen. */
  readonly warnings?: readonly MappingWarning[];
  /** L-1: the class of a failed attempt (absent when it succeeded, was skipped or released). */
  readonly failureClass?: FailureClass;
}

/** What every queued job has, whatever it carries out. */
interface JobCore {
  /** Position in the store: monotonic, the order of a lane. */
  readonly seq: number;
  readonly sourceId: string;
  readonly messageId: string;
  readonly destinationId: string;
  /** C-RACE-1 ordering key inside the destination (see `lane-key.ts`). */
  readonly laneKey: string;
  /** ISO-8601 time the server received the event (a deletion: when it was asked for). */
  readonly receivedAt: string;
  readonly status: JobStatus;
  /** Counted attempts so far. */
  readonly attempts: number;
  /** First counted attempt (Unix ms); absent before any. */
  readonly firstAttemptAtMs?: number;
  readonly history: readonly AttemptRecord[];
  /**
   * L-5: stored by a replay (backfill). Claims hand out live lane heads first, and while live traffic
   * waits for the same workspace a replay gets at most half of its rate budget.
   */
  readonly replayed: boolean;
}

/** A stored event waiting for delivery. */
export interface EventJob extends JobCore {
  readonly kind: 'event';
  readonly event: SegmentEvent;
}

/** L-4: the erasure of one user, queued in that user's lane (see `erasures.ts`). */
export interface DeletionJob extends JobCore {
  readonly kind: 'deletion';
  readonly erasure: ErasureTask;
}

/** A queued job: an event to deliver, or a user to erase. */
export type Job = EventJob | DeletionJob;

/** The lease of a claimed job. */
export interface Lease {
  readonly lockedBy: string;
  readonly lockedUntilMs: number;
}

/** A job leased to one worker until `lockedUntilMs`. */
export type ClaimedJob = Job & Lease;

/** A claimed event job. */
export type ClaimedEventJob = EventJob & Lease;

/** A claimed deletion job. */
export type ClaimedDeletionJob = DeletionJob & Lease;

/** One lane: a destination and the ordering key of a user inside it (C-RACE-1). */
export interface LaneRef {
  readonly destinationId: string;
  readonly laneKey: string;
}
