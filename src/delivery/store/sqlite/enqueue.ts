import type { EnqueueResult } from '../enqueue.js';
import { type QueuedRow, receivedAtMsOf } from '../queued-row.js';
import { insertJob, type LaneStatements } from '../sql/lane-statements.js';
import type { WritePlan } from '../sql/sql-runner.js';
import { SQLITE_DIALECT } from './dialect.js';

// I-5 dedupe: a receipt per (source, messageId, destination); an event whose receipt is already
// there is a duplicate and stores nothing.
const INSERT_RECEIPT = SQLITE_DIALECT.compile(
  (p) => `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
    VALUES (${p('source')}, ${p('message')}, ${p('destination')}, ${p('receivedAtMs')}) ON CONFLICT DO NOTHING`,
);

/**
 * An enqueue as one transaction: for each row in order, its receipt, and its job when the receipt is
 * new. Jobs are inserted in arrival order, so each lane keeps the order its events came in.
 */
export function enqueuePlan(lanes: LaneStatements, rows: readonly QueuedRow[]): WritePlan {
  return {
    lanes: [],
    steps: rows.map((row) => ({
      guard: {
        statement: INSERT_RECEIPT,
        values: {
          source: row.sourceId,
          message: row.messageId,
          destination: row.destinationId,
          receivedAtMs: receivedAtMsOf(row.receivedAt),
        },
      },
      then: [insertJob(lanes, { ...row, historyJson: '[]' })],
    })),
  };
}

/** How many of an enqueue's rows were stored and how many were duplicates, from its plan's results. */
export function enqueueResult(
  rows: readonly QueuedRow[],
  applied: readonly { applied: boolean }[],
): EnqueueResult {
  const stored = applied.filter((step) => step.applied).length;
  return { stored, duplicates: rows.length - stored };
}
