import type { SegmentEvent } from '../../segment/event.js';
import type { ClaimedJob } from './job.js';

/**
 * The two halves of a follower claim. The predicate is a function, which runs neither in SQL nor on
 * the store's thread, so the stores offer these and the caller runs the predicate between them.
 */
export interface FollowerLeasing {
  /**
   * The pending jobs right behind a leased head, shown under the head's lease. Nothing else can take
   * them meanwhile: claims hand out lane heads only, and the caller's worker holds the head.
   */
  followerCandidates(head: ClaimedJob, limit: number): Promise<readonly ClaimedJob[]>;
  /** Leases `seqs` in order under the head's lease, stopping at the first it cannot; resolves to how many. */
  leaseFollowers(head: ClaimedJob, seqs: readonly number[], nowMs: number): Promise<number>;
}

/**
 * `LaneClaims.claimFollowers` from its halves: the candidates behind the head, the run of them that
 * `accepts` takes (stopping at the first it refuses, so order across event types is kept), and as
 * many of those as could be leased.
 */
export async function claimAcceptedFollowers(
  store: FollowerLeasing,
  head: ClaimedJob,
  limit: number,
  accepts: (event: SegmentEvent) => boolean,
  nowMs: number,
): Promise<readonly ClaimedJob[]> {
  const candidates = await store.followerCandidates(head, limit);
  const firstRefused = candidates.findIndex((job) => job.kind !== 'event' || !accepts(job.event));
  const wanted = firstRefused === -1 ? candidates : candidates.slice(0, firstRefused);
  if (wanted.length === 0) return [];
  const leased = await store.leaseFollowers(
    head,
    wanted.map((job) => job.seq),
    nowMs,
  );
  return wanted.slice(0, leased);
}
