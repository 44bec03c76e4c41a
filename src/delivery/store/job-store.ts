import type { IntercomFailure } from '../../intercom/outcome.js';
import type { Plan, SkipReason } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { Enqueuer } from './enqueue.js';
import type { DeadReason, Decision } from '../worker/policy.js';

/**
 * `pending` jobs keep their lane in order; a `parked` job (C-RACE-2, user not found) does not block
 * its lane and becomes `pending` again when a later job of its lane completes.
 */
export type JobStatus = 'pending' | 'parked';

/** One attempt at delivering a job, kept with the job and with its dead letter. */
export interface AttemptRecord {
  /** When the attempt finished (Unix ms). */
  readonly atMs: number;
  /** What was decided; `skipped` for a plan with nothing to send, `released` when a stopping worker gave it back. */
  readonly decision: Decision['kind'] | 'skipped' | 'released';
  /** 429 and 401/403 answers do not count towards the retry bounds. */
  readonly counted: boolean;
  /** HTTP calls spent. */
  readonly calls: number;
  /** Intercom's answer when the attempt failed (status, code, message, request id; never a token). */
  readonly failure?: IntercomFailure;
  readonly skipReason?: SkipReason;
  readonly notes?: readonly string[];
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

/** Parameters of one claim. */
export interface ClaimRequest {
  readonly workerId: string;
  /** At most this many jobs, each from a different lane. */
  readonly limit: number;
  /** Lease length: a crashed worker's jobs are claimable again after it. */
  readonly leaseMs: number;
  /** Unix ms. */
  readonly now: number;
  /**
   * Only jobs of these destinations; all when absent. A process claims what it can deliver: when
   * several processes share one queue and one of them lacks a destination (during a rolling change of
   * DESTINATIONS_FILE), it leaves that destination's jobs to the others instead of holding them.
   */
  readonly destinationIds?: readonly string[];
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
}

/** A destination that receives no calls, because of a 429 (timed) or a rejected token (until resumed). */
export interface DestinationPause {
  readonly destinationId: string;
  readonly reason: string;
  /** Absent: paused until `resumeDestination` (a successful probe). */
  readonly untilMs?: number;
  readonly sinceMs: number;
}

/** Queue depth of one destination, for metrics and `/health`. */
export interface QueueDepth {
  readonly destinationId: string;
  /** Jobs waiting in order (including retries and in-flight ones). */
  readonly pending: number;
  /** C-RACE-2 tracks waiting for their user. */
  readonly parked: number;
  /** Jobs under a live lease. */
  readonly inFlight: number;
  readonly deadLetters: number;
  /** `receivedAt` of the oldest unfinished job. */
  readonly oldestReceivedAt?: string;
}

/** C-TR-6: distinct event names delivered to one workspace. */
export interface EventNameCount {
  readonly destinationId: string;
  readonly count: number;
}

/** How many jobs of a destination ended each way (`delivered`, `skipped:<reason>`, `dead:<reason>`). */
export interface DeliveryCount {
  readonly destinationId: string;
  readonly result: string;
  readonly count: number;
}

// Notes for the PostgreSQL store (same tables, BIGSERIAL seq, BIGINT ms times):
// - claim: the SQLite claim query (sqlite-lanes.ts) plus `FOR UPDATE OF j SKIP LOCKED`, then set the
//   lease in the same transaction. Candidates are only lane heads and parked jobs and a lane has at most
//   one claimable job at a time, so two workers can never both take jobs of one lane.
// - every write that changes which job heads a lane (enqueue, complete + un-park, park, kill, redrive)
//   first takes `pg_advisory_xact_lock` on a hash of (destination_id, lane_key), so an enqueue and a
//   completion in the same lane cannot both miss each other and leave the lane without a head.
// - enqueue: `INSERT … ON CONFLICT DO NOTHING RETURNING` on receipts, one transaction per batch.
// - pauses are rows every worker reads in its claim, which is how workers share a workspace's 429.
// - proactive pacing (rate-pacer.ts) is per worker today: each worker paces from the headers it sees
//   and a spent window becomes a timed pause row (`rate_limit_paced`) that stops every worker's claims.
//   `X-RateLimit-Remaining` counts the whole workspace, so each worker learns what the others spent
//   within one answer (the pacer keeps the lower of its own count and Intercom's). Several workers can
//   still overspend a window together by up to their combined in-flight reservations; the 429 path
//   absorbs that. To share the budget exactly: a `rate_budgets(destination_id,
//   reset_at_ms, remaining)` row per workspace; admission is `UPDATE … SET remaining = remaining - $n
//   WHERE destination_id = $1 AND reset_at_ms > $now AND remaining >= $reserve + $n RETURNING`, a new
//   window is `INSERT … ON CONFLICT DO UPDATE … WHERE rate_budgets.reset_at_ms < EXCLUDED.reset_at_ms`,
//   and each answer's headers lower `remaining` with `LEAST`. One round trip per plan, no advisory lock.

/**
 * The durable queue behind delivery (ARCHITECTURE.md decision 4). Async so that a PostgreSQL store
 * with many worker processes implements the same semantics: one ordered lane per destination and
 * user, claims that hand out only the head of a lane, leases, and C-RACE-2 parking.
 * Methods that take a claimed job return false when the lease was lost (another worker owns it).
 */
export interface JobStore extends Enqueuer {
  /** Leases up to `limit` lane heads: due, unlocked, no earlier pending job, destination not paused. */
  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]>;
  /** Extends the leases of a worker's in-flight jobs; resolves to how many were still held. */
  renewLeases(workerId: string, seqs: readonly number[], untilMs: number): Promise<number>;
  /**
   * Leases, under the head's lease, the pending jobs that directly follow a claimed lane head while
   * `accepts` takes their events (at most `limit`), so that adjacent identifies of one user can be
   * delivered as one call (`isBulkAPIEnabled`). Stops at the first job it does not accept, so order
   * relative to other event types is kept. Optional: a store without it delivers jobs one by one.
   */
  claimFollowers?(
    head: ClaimedJob,
    limit: number,
    accepts: (event: SegmentEvent) => boolean,
    nowMs: number,
  ): Promise<readonly ClaimedJob[]>;
  /** Removes a finished job and, in the same transaction, un-parks the parked jobs of its lane (C-RACE-2). */
  complete(job: ClaimedJob, record: AttemptRecord): Promise<void>;
  /** Unlocks the job to run again at `runAtMs`, keeping its place at the head of its lane. */
  reschedule(
    job: ClaimedJob,
    runAtMs: number,
    record: AttemptRecord,
    options: { readonly countsAsAttempt: boolean },
  ): Promise<boolean>;
  /** C-RACE-2: the job stops blocking its lane and retries on its own at `runAtMs`. */
  park(job: ClaimedJob, runAtMs: number, record: AttemptRecord): Promise<boolean>;
  /** Moves the job to the dead letters. */
  kill(job: ClaimedJob, death: Death, record: AttemptRecord, nowMs: number): Promise<boolean>;
  /** Gives a job back untouched (graceful shutdown). */
  release(job: ClaimedJob): Promise<boolean>;
  /** Gives back every lease a worker holds; resolves to how many. */
  releaseWorker(workerId: string): Promise<number>;

  listDeadLetters(query: DeadLetterQuery): Promise<readonly DeadLetter[]>;
  /** Puts dead letters back at the tail of their lanes; resolves to how many. */
  redriveDeadLetters(selector: DeadLetterSelector): Promise<number>;
  /** Deletes dead letters; resolves to how many. */
  purgeDeadLetters(selector: DeadLetterSelector): Promise<number>;

  /**
   * Stops claims for a destination until `untilMs`, or until resumed when absent. A timed pause never
   * shortens another timed pause nor lifts an open-ended one.
   */
  pauseDestination(
    destinationId: string,
    untilMs: number | undefined,
    reason: string,
    nowMs: number,
  ): Promise<void>;
  resumeDestination(destinationId: string): Promise<void>;
  /** Pauses in force at `nowMs`. */
  pausedDestinations(nowMs: number): Promise<readonly DestinationPause[]>;

  queueDepth(nowMs: number): Promise<readonly QueueDepth[]>;
  /**
   * C-TR-6: remembers event names delivered to a workspace; resolves to how many distinct names it now
   * has and which of the given names were new. Optional: without it names are not counted.
   */
  noteEventNames?(
    destinationId: string,
    names: readonly string[],
    nowMs: number,
  ): Promise<{ readonly count: number; readonly added: readonly string[] }>;
  /** C-TR-6: distinct event names per workspace. */
  eventNameCounts?(): Promise<readonly EventNameCount[]>;
  deliveryCounts(): Promise<readonly DeliveryCount[]>;
  /** Forgets dedupe receipts of events received before `beforeMs`; resolves to how many. */
  pruneReceipts(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
