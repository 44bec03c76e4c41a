import type { QueuedRow } from './queued-row.js';

/**
 * The order in which a group's rows visit the dedupe receipts index, keyed by (source, messageId,
 * destination). Inserting a group's receipts in key order instead of arrival order visits each index
 * page once, in one sweep: the page is read, changed by all of the group's keys that fall in it, and
 * not needed again in the transaction. In arrival order every messageId (random, as Segment's
 * libraries make them) lands on a random page, so a group larger than the page cache reads pages back
 * and spills dirty pages to the WAL more than once (bench/RESULTS.md, "Replay of a million events").
 * Equal keys keep arrival order: of two events with one messageId the first is the one stored (I-5).
 * Jobs are not reordered: their numbers are the order their events came in, which C-RACE-1 and
 * C-IDN-5 compare.
 */
export function receiptOrder(rows: readonly QueuedRow[]): number[] {
  return rows
    .map((_, index) => index)
    .sort(
      (a, b) =>
        compareText(rows[a]!.sourceId, rows[b]!.sourceId) ||
        compareText(rows[a]!.messageId, rows[b]!.messageId) ||
        compareText(rows[a]!.destinationId, rows[b]!.destinationId) ||
        a - b,
    );
}

// Code-unit order, close to SQLite's BINARY collation; only locality depends on it, never correctness.
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
