import type { Param, SqlDialect, Statement } from './dialect.js';

/**
 * The ordering query (C-RACE-1, C-RACE-2), the one place that says which jobs may run now; both
 * engines run it. Candidates are lane heads (the lowest-seq pending job, flagged `is_head`) and parked
 * jobs. A candidate is claimable when it is due, its destination is not paused, no other job of its
 * lane is leased, and, for a parked job, nothing else in its lane is pending or earlier (a parked track
 * runs on its own timer only when its lane is idle). So a lane never has more than one claimable job,
 * and two workers can never hold jobs of one lane. On PostgreSQL the candidates are also row-locked and
 * skipped when locked, so concurrent claims in several processes pass over each other's rows.
 *
 * Live heads come before replayed ones (L-5): a backfill never keeps a live event waiting for a
 * worker. The candidate index is on (replayed, seq), so this order is read, not sorted.
 *
 * Parameters: `now` (Unix ms), `limit`, `destinations` (a list, or NULL for every destination), `held`
 * (destinations whose replayed jobs wait, or NULL).
 */
export function claimableJobs(d: SqlDialect, p: Param): string {
  const now = p('now');
  return `
    SELECT j.seq FROM jobs AS j
    WHERE (${d.isSet('j.is_head')} OR j.status = 'parked')
      AND j.run_at_ms <= ${now}
      AND (${p('destinations', 'text[]')} IS NULL OR ${d.inList('j.destination_id', p('destinations', 'text[]'))})
      AND (j.locked_until_ms IS NULL OR j.locked_until_ms <= ${now})
      AND (j.replayed = 0 OR ${p('held', 'text[]')} IS NULL OR NOT ${d.inList('j.destination_id', p('held', 'text[]'))})
      AND NOT EXISTS (
        SELECT 1 FROM jobs AS e
        WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
          AND e.locked_until_ms > ${now})
      AND (j.status = 'pending' OR NOT EXISTS (
        SELECT 1 FROM jobs AS e
        WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
          AND (e.status = 'pending' OR e.seq < j.seq)))
      AND NOT EXISTS (
        SELECT 1 FROM destination_pauses AS p
        WHERE p.destination_id = j.destination_id AND (p.until_ms IS NULL OR p.until_ms > ${now}))
    ORDER BY j.replayed, j.seq
    LIMIT ${p('limit')}
    ${d.skipLockedRows}`;
}

/**
 * A claim: leases the claimable jobs to `worker` until `until` and returns them (in no particular
 * order). The candidates are picked once, before any is leased (a materialised CTE).
 */
export function claimStatement(d: SqlDialect): Statement {
  return d.compile(
    (p) => `
    WITH picked AS MATERIALIZED (${claimableJobs(d, p)})
    UPDATE jobs SET locked_by = ${p('worker')}, locked_until_ms = ${p('until')}
    WHERE seq IN (SELECT seq FROM picked)
    RETURNING *`,
  );
}
