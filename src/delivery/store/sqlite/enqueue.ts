import type { EnqueueResult } from '../enqueue.js';
import { jobOrder, receiptOrder } from '../index-order.js';
import { type QueuedRow, receivedAtMsOf } from '../queued-row.js';
import type { SqliteRunner } from './sqlite-runner.js';

// I-5 dedupe: a receipt per (source, messageId, destination); an event whose receipt is already
// there is a duplicate and stores nothing. Bound by position: this runs once per stored event.
const INSERT_RECEIPT_SQL = `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
  VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;

// The lane statements' insert (`sql/lane-statements.ts`) with the job's number and head flag given,
// and its values by position: this runs once per stored event.
const INSERT_JOB_SQL = `INSERT INTO jobs
  (seq, source_id, message_id, destination_id, lane_key, event_json, received_at, replayed, is_head)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// Whether a lane has no pending job: its first job of the group then heads it (C-RACE-1).
const LANE_IDLE_SQL = `SELECT NOT EXISTS
  (SELECT 1 FROM jobs WHERE destination_id = ? AND lane_key = ? AND status = 'pending')`;

// The first number AUTOINCREMENT would hand out: above every number ever given, so never one twice
// (a redriven dead letter takes its old number back, L-3). Inserting a higher one explicitly moves
// sqlite_sequence on, as AUTOINCREMENT does.
const NEXT_SEQ_SQL = `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'jobs'), 0) + 1`;

/**
 * Stores a group of events in one transaction: first the receipts, in key order (`index-order.ts`:
 * one sweep over the receipts index instead of a random page per event), then a job for each event
 * whose receipt was new. The jobs are numbered in arrival order, so their numbers are the order their
 * events came in (each lane's order, C-RACE-1, and the order across lanes that C-IDN-5's wait
 * compares), and inserted lane by lane, for the same sweep over the lane index: the group's first
 * job of a lane heads it when the lane has no pending job, the lane's later ones never (each lane's
 * head is its lowest-numbered pending job, see `sql/lane-statements.ts`). The loops run here
 * rather than as a write plan (see `sql-runner.ts`): it is the store's hottest path, and on SQLite a
 * statement per row costs no more than one per group (PostgreSQL writes a group in four statements,
 * see `postgres/enqueue.ts`).
 */
export function enqueueRows(runner: SqliteRunner, rows: readonly QueuedRow[]): Promise<EnqueueResult> {
  const receipt = runner.prepare(INSERT_RECEIPT_SQL);
  const job = runner.prepare(INSERT_JOB_SQL);
  const laneIdle = runner.prepare(LANE_IDLE_SQL).pluck();
  const nextSeq = runner.prepare(NEXT_SEQ_SQL).pluck();
  return runner.write('enqueue', 'durable', () => {
    const fresh: number[] = [];
    const duplicateIndexes: number[] = [];
    for (const index of receiptOrder(rows)) {
      const { sourceId, messageId, destinationId, receivedAt } = rows[index]!;
      const stored = receipt.run(sourceId, messageId, destinationId, receivedAtMsOf(receivedAt)).changes > 0;
      (stored ? fresh : duplicateIndexes).push(index);
    }
    fresh.sort((a, b) => a - b);
    const first = nextSeq.get() as number;
    let previous: QueuedRow | undefined;
    for (const rank of jobOrder(rows, fresh)) {
      const row = rows[fresh[rank]!]!;
      const { sourceId, messageId, destinationId, laneKey, eventJson, receivedAt, replayed } = row;
      const sameLane = previous?.laneKey === laneKey && previous.destinationId === destinationId;
      const head = sameLane ? 0 : (laneIdle.get(destinationId, laneKey) as number);
      job.run(
        first + rank,
        sourceId,
        messageId,
        destinationId,
        laneKey,
        eventJson,
        receivedAt,
        replayed ? 1 : 0,
        head,
      );
      previous = row;
    }
    duplicateIndexes.sort((a, b) => a - b);
    const duplicates = duplicateIndexes.length;
    return { stored: rows.length - duplicates, duplicates, duplicateIndexes };
  });
}
