import type { EnqueueResult } from '../enqueue.js';
import { type QueuedRow, receivedAtMsOf } from '../queued-row.js';
import { jobInsertValues, type LaneStatements } from '../sql/lane-statements.js';
import type { SqliteRunner } from './sqlite-runner.js';

// I-5 dedupe: a receipt per (source, messageId, destination); an event whose receipt is already
// there is a duplicate and stores nothing. Bound by position: this runs once per stored event.
const INSERT_RECEIPT_SQL = `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
  VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/**
 * Stores a group of events in one transaction: for each row in order, its receipt, and its job when
 * the receipt is new, so each lane keeps the order its events came in. The loop runs here rather than
 * as a write plan (see `sql-runner.ts`): it is the store's hottest path, and on SQLite a statement per
 * row costs no more than one per group (PostgreSQL writes a group in four statements, see
 * `postgres/enqueue.ts`).
 */
export function enqueueRows(
  runner: SqliteRunner,
  lanes: LaneStatements,
  rows: readonly QueuedRow[],
): Promise<EnqueueResult> {
  const receipt = runner.prepare(INSERT_RECEIPT_SQL);
  const job = runner.prepare(lanes.insertJob.sql);
  return runner.write('enqueue', 'durable', () => {
    const duplicateIndexes: number[] = [];
    rows.forEach((row, index) => {
      const { sourceId, messageId, destinationId } = row;
      if (receipt.run(sourceId, messageId, destinationId, receivedAtMsOf(row.receivedAt)).changes === 0) {
        duplicateIndexes.push(index);
        return;
      }
      job.run(jobInsertValues(row, '[]'));
    });
    const duplicates = duplicateIndexes.length;
    return { stored: rows.length - duplicates, duplicates, duplicateIndexes };
  });
}
