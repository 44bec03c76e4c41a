import type { EnqueueResult } from '../enqueue.js';
import { receiptOrder } from '../index-order.js';
import { type QueuedRow, receivedAtMsOf } from '../queued-row.js';
import { jobInsertValues, type LaneStatements } from '../sql/lane-statements.js';
import type { SqliteRunner } from './sqlite-runner.js';

// I-5 dedupe: a receipt per (source, messageId, destination); an event whose receipt is already
// there is a duplicate and stores nothing. Bound by position: this runs once per stored event.
const INSERT_RECEIPT_SQL = `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
  VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`;

/**
 * Stores a group of events in one transaction: first the receipts, in key order (`index-order.ts`:
 * one sweep over the receipts index instead of a random page per event), then a job for each event
 * whose receipt was new, in arrival order, so jobs are numbered as their events came in (each lane's
 * order, C-RACE-1, and the order across lanes that C-IDN-5's wait compares). The loops run here
 * rather than as a write plan (see `sql-runner.ts`): it is the store's hottest path, and on SQLite a
 * statement per row costs no more than one per group (PostgreSQL writes a group in four statements,
 * see `postgres/enqueue.ts`).
 */
export function enqueueRows(
  runner: SqliteRunner,
  lanes: LaneStatements,
  rows: readonly QueuedRow[],
): Promise<EnqueueResult> {
  const receipt = runner.prepare(INSERT_RECEIPT_SQL);
  const job = runner.prepare(lanes.insertJob.sql);
  return runner.write('enqueue', 'durable', () => {
    const fresh: number[] = [];
    const duplicateIndexes: number[] = [];
    for (const index of receiptOrder(rows)) {
      const { sourceId, messageId, destinationId, receivedAt } = rows[index]!;
      const stored = receipt.run(sourceId, messageId, destinationId, receivedAtMsOf(receivedAt)).changes > 0;
      (stored ? fresh : duplicateIndexes).push(index);
    }
    fresh.sort((a, b) => a - b);
    for (const index of fresh) job.run(jobInsertValues(rows[index]!, '[]'));
    duplicateIndexes.sort((a, b) => a - b);
    const duplicates = duplicateIndexes.length;
    return { stored: rows.length - duplicates, duplicates, duplicateIndexes };
  });
}
