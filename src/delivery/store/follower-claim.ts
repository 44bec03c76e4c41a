import type { SegmentEvent } from '../../segment/event.js';
import type { ClaimedJob } from './job-store.js';

/** The two halves of a follower claim, as a store that cannot run the predicate itself offers them. */
export interface FollowerLeasing {
  followerCandidates(head: ClaimedJob, limit: number): Promise<readonly ClaimedJob[]>;
  leaseFollowers(head: ClaimedJob, seqs: readonly number[], nowMs: number): Promise<number>;
}

/**
 * `JobStore.claimFollowers` from its halves: the candidates behind the head, the run of them that
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
  const firstRefused = candidates.findIndex((job) => !accepts(job.event));
  const wanted = firstRefused === -1 ? candidates : candidates.slice(0, firstRefused);
  if (wanted.length === 0) return [];
  const leased = await store.leaseFollowers(
    head,
    wanted.map((job) => job.seq),
    nowMs,
  );
  return wanted.slice(0, leased);
}
