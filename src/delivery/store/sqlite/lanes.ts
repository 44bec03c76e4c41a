import type Database from 'better-sqlite3';

// C-RACE-1/C-RACE-2 head-of-lane rule, the same in spirit for a PostgreSQL store. Candidates are lane
// heads (the lowest-seq pending job, flagged `is_head`) and parked jobs. A candidate is claimable when
// no other job of its lane is leased and, for a parked job, nothing else in the lane is pending or
// earlier (a parked track runs on its own timer only when its lane is idle). So at most one job per lane
// is ever claimable. PostgreSQL: the same query with `FOR UPDATE OF j SKIP LOCKED`.

/**
 * Selects up to `@limit` claimable jobs at `@now`, oldest first; `@destinations` is a JSON array of the
 * destinations to claim for, or NULL for all.
 */
export const CLAIM_SQL = `
  SELECT j.* FROM jobs AS j
  WHERE (j.is_head = 1 OR j.status = 'parked')
    AND j.run_at_ms <= @now
    AND (@destinations IS NULL OR j.destination_id IN (SELECT value FROM json_each(@destinations)))
    AND (j.locked_until_ms IS NULL OR j.locked_until_ms <= @now)
    AND NOT EXISTS (
      SELECT 1 FROM jobs AS e
      WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
        AND e.locked_until_ms > @now)
    AND (j.status = 'pending' OR NOT EXISTS (
      SELECT 1 FROM jobs AS e
      WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
        AND (e.status = 'pending' OR e.seq < j.seq)))
    AND NOT EXISTS (
      SELECT 1 FROM destination_pauses AS p
      WHERE p.destination_id = j.destination_id AND (p.until_ms IS NULL OR p.until_ms > @now))
  ORDER BY j.seq
  LIMIT @limit`;

/**
 * Inserts a job; it heads its lane when the lane has no pending job yet (a batch inserts in order, in
 * one transaction). PostgreSQL must serialise this with the lane's other writers (an advisory lock per
 * lane), or a concurrent completion could leave the lane without a head.
 */
export const INSERT_JOB_SQL = `
  INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
  VALUES (@source, @message, @destination, @lane, @event, @receivedAt, @history,
    NOT EXISTS (SELECT 1 FROM jobs WHERE destination_id = @destination AND lane_key = @lane AND status = 'pending'))`;

/** Parameters of `INSERT_JOB_SQL`. */
export interface InsertJobParams {
  readonly source: string;
  readonly message: string;
  readonly destination: string;
  readonly lane: string;
  readonly event: string;
  readonly receivedAt: string;
  readonly history: string;
}

/**
 * C-RACE-2: the lane moved on (typically the identify created the user), so its parked tracks become
 * pending again with their original seq: the head of the lane, before later jobs. Call inside the
 * transaction that finished the lane's job, then `refreshHead`.
 */
export function unparkLane(db: Database.Database, destinationId: string, laneKey: string): void {
  db.prepare(
    `UPDATE jobs SET status = 'pending', run_at_ms = 0
     WHERE destination_id = ? AND lane_key = ? AND status = 'parked'`,
  ).run(destinationId, laneKey);
}

/** Moves a lane's head flag to its lowest-seq pending job (after a job left, parked or un-parked). */
export function refreshHead(db: Database.Database, destinationId: string, laneKey: string): void {
  db.prepare('UPDATE jobs SET is_head = 0 WHERE destination_id = ? AND lane_key = ? AND is_head = 1').run(
    destinationId,
    laneKey,
  );
  db.prepare(
    `UPDATE jobs SET is_head = 1 WHERE seq = (
       SELECT seq FROM jobs WHERE destination_id = ? AND lane_key = ? AND status = 'pending' ORDER BY seq LIMIT 1)`,
  ).run(destinationId, laneKey);
}
