import type { SegmentEvent } from '../../segment/event.js';
import type { Death } from './dead-letters.js';
import type { AttemptRecord, ClaimedJob, LaneRef } from './job.js';

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
  /**
   * L-5: destinations whose replayed jobs are not handed out now, because the replay's share of the
   * workspace's rate budget is spent; their live jobs still are.
   */
  readonly replayHeld?: readonly string[];
}

/**
 * The worker's side of the queue (ARCHITECTURE.md decision 4): one ordered lane per destination and
 * user, claims that hand out only the head of a lane, leases, and C-RACE-2 parking. Methods that take
 * a claimed job resolve to false when the lease was lost (another worker owns the job).
 */
export interface LaneClaims {
  /**
   * Leases up to `limit` lane heads: due, unlocked, no earlier pending job, destination not paused;
   * live heads before replayed ones (L-5), each kind oldest first.
   */
  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]>;
  /** Extends the leases of a worker's in-flight jobs; resolves to how many were still held. */
  renewLeases(workerId: string, seqs: readonly number[], untilMs: number): Promise<number>;
  /**
   * Leases, under the head's lease, the pending jobs that directly follow a claimed lane head while
   * `accepts` takes their events (at most `limit`), so that adjacent identifies of one user can be
   * delivered as one call (`isBulkAPIEnabled`). Stops at the first job it does not accept, so order
   * relative to other event types is kept.
   */
  claimFollowers(
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
  /** Moves the job to the dead letters (a deletion never goes there: see `Erasures.finishErasure`). */
  kill(job: ClaimedJob, death: Death, record: AttemptRecord, nowMs: number): Promise<boolean>;
  /** Gives a job back untouched (graceful shutdown). */
  release(job: ClaimedJob): Promise<boolean>;
  /** Gives back every lease a worker holds; resolves to how many. */
  releaseWorker(workerId: string): Promise<number>;
  /**
   * C-IDN-5: how many pending jobs of another lane (leased or not; parked ones are waiting for their
   * contact and do not count) came before `seq`, so that a job merging that lane's contact into its
   * own can wait for them and keep the order of one person's events across the two lanes.
   */
  pendingBefore(lane: LaneRef, seq: number): Promise<number>;
}
