import type pg from 'pg';
import type { EnqueueResult } from '../enqueue.js';
import { type QueuedRow, receivedAtMsOf } from '../queued-row.js';
import { lockLanes } from './lane-locks.js';

// A group is written in four statements (lane locks, receipts, jobs, lane heads) rather than two round
// trips per event: on PostgreSQL each statement is a round trip, on SQLite (see `sqlite/enqueue.ts`)
// a statement per row costs no more than one per group.

const INSERT_RECEIPTS_SQL = `
  INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
  ON CONFLICT DO NOTHING
  RETURNING source_id, message_id, destination_id`;

// Rows are inserted in the order given (seq follows it), none yet a lane head: rows of one statement do
// not see each other, so the per-row head test of `insertJob` would mark every new job of an empty lane.
const INSERT_JOBS_SQL = `
  INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, replayed, is_head)
  SELECT s, m, d, l, e, r, '[]', p, FALSE
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
    WITH ORDINALITY AS t(s, m, d, l, e, r, p, n)
  ORDER BY n`;

// The head of each lane written to: its lowest-seq pending job, found by one index probe per lane
// (jobs_lane), and marked unless it already was (the lane had a pending job before).
const MARK_HEADS_SQL = `
  UPDATE jobs SET is_head = TRUE
  WHERE seq IN (
    SELECT head.seq
    FROM (SELECT DISTINCT d, l FROM unnest($1::text[], $2::text[]) AS t(d, l)) AS lanes
    CROSS JOIN LATERAL (
      SELECT j.seq, j.is_head FROM jobs AS j
      WHERE j.destination_id = lanes.d AND j.lane_key = lanes.l AND j.status = 'pending'
      ORDER BY j.seq LIMIT 1) AS head
    WHERE NOT head.is_head)`;

/** The receipt key of a row, as one string. */
function receiptKey(sourceId: string, messageId: string, destinationId: string): string {
  return JSON.stringify([sourceId, messageId, destinationId]);
}

/**
 * Stores a group of events in the caller's transaction (I-5 dedupe, C-RACE-1 lanes): the receipts that
 * were new come back, and only their events become jobs, in the order they arrived.
 */
export async function enqueueRows(client: pg.PoolClient, rows: readonly QueuedRow[]): Promise<EnqueueResult> {
  await lockLanes(client, rows);
  const receipts = await client.query<{ source_id: string; message_id: string; destination_id: string }>(
    INSERT_RECEIPTS_SQL,
    [
      rows.map((row) => row.sourceId),
      rows.map((row) => row.messageId),
      rows.map((row) => row.destinationId),
      rows.map((row) => receivedAtMsOf(row.receivedAt)),
    ],
  );
  const fresh = new Set(receipts.rows.map((r) => receiptKey(r.source_id, r.message_id, r.destination_id)));
  // A messageId twice in one group: its first event is the one stored.
  const jobs: QueuedRow[] = [];
  const duplicateIndexes: number[] = [];
  rows.forEach((row, index) => {
    if (fresh.delete(receiptKey(row.sourceId, row.messageId, row.destinationId))) jobs.push(row);
    else duplicateIndexes.push(index);
  });
  if (jobs.length > 0) {
    await client.query(INSERT_JOBS_SQL, [
      jobs.map((row) => row.sourceId),
      jobs.map((row) => row.messageId),
      jobs.map((row) => row.destinationId),
      jobs.map((row) => row.laneKey),
      jobs.map((row) => row.eventJson),
      jobs.map((row) => row.receivedAt),
      jobs.map((row) => (row.replayed ? 1 : 0)),
    ]);
    await client.query(MARK_HEADS_SQL, [
      jobs.map((row) => row.destinationId),
      jobs.map((row) => row.laneKey),
    ]);
  }
  return { stored: jobs.length, duplicates: duplicateIndexes.length, duplicateIndexes };
}
