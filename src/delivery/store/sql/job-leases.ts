import { claimAcceptedFollowers, type FollowerLeasing } from '../follower-claim.js';
import type { LaneClaims } from '../lane-claims.js';
import { type JobRow, toClaimedJob } from './rows.js';
import type { SqlContext } from './sql-context.js';
import { rowsOf, transactOne } from './sql-runner.js';

/** The leasing half of `LaneClaims` in SQL: claims, renewals, followers and give-backs. */
export type SqlLeases = Pick<
  LaneClaims,
  'claim' | 'renewLeases' | 'claimFollowers' | 'release' | 'releaseWorker'
> &
  FollowerLeasing;

/** Leases jobs through an engine's runner; the worker's bookkeeping commits relaxed (see `Durability`). */
export function createSqlLeases({ runner, dialect, jobs }: SqlContext): SqlLeases {
  const leases: SqlLeases = {
    async claim(request) {
      const values = {
        now: request.now,
        limit: Math.max(0, Math.floor(request.limit)),
        destinations: dialect.list(request.destinationIds),
        held: dialect.list(request.replayHeld),
        worker: request.workerId,
        until: request.now + request.leaseMs,
      };
      const result = await transactOne(runner, 'claim', 'relaxed', { statement: jobs.claim, values });
      return rowsOf<JobRow>(result)
        .map(toClaimedJob)
        .sort((a, b) => a.seq - b.seq);
    },
    async renewLeases(workerId, seqs, untilMs) {
      const values = { until: untilMs, worker: workerId, seqs: dialect.list(seqs) };
      return (await transactOne(runner, 'renew leases', 'relaxed', { statement: jobs.renew, values }))
        .changes;
    },
    async followerCandidates(head, limit) {
      const limitValue = Math.max(0, Math.floor(limit));
      const values = {
        destination: head.destinationId,
        lane: head.laneKey,
        seq: head.seq,
        limit: limitValue,
      };
      const result = await runner.query('follower candidates', {
        statement: jobs.followerCandidates,
        values,
      });
      const lease = { locked_by: head.lockedBy, locked_until_ms: head.lockedUntilMs };
      return rowsOf<JobRow>(result).map((row) => toClaimedJob({ ...row, ...lease }));
    },
    async leaseFollowers(head, seqs, nowMs) {
      const lease = { worker: head.lockedBy, until: head.lockedUntilMs, now: nowMs };
      const steps = seqs.map((seq) => ({
        guard: { statement: jobs.leaseFollower, values: { ...lease, seq } },
        onMiss: 'stop' as const,
      }));
      const results = await runner.transact('claim followers', 'relaxed', { lanes: [], steps });
      return results.filter((result) => result.applied).length;
    },
    claimFollowers: (head, limit, accepts, nowMs) =>
      claimAcceptedFollowers(leases, head, limit, accepts, nowMs),
    async release(job) {
      const values = { seq: job.seq, worker: job.lockedBy };
      return (
        (await transactOne(runner, 'release', 'relaxed', { statement: jobs.release, values })).changes > 0
      );
    },
    async releaseWorker(workerId) {
      const bound = { statement: jobs.releaseWorker, values: { worker: workerId } };
      return (await transactOne(runner, 'release worker', 'relaxed', bound)).changes;
    },
  };
  return leases;
}
