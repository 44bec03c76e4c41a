import type { QueuedRow } from './queued-row.js';

/**
 * The order in which a group's rows visit the dedupe receipts index, keyed by (source, messageId,
 * destination). Inserting a group's receipts in key order instead of arrival order visits each index
 * page once, in one sweep: the page is read, changed by all of the group's keys that fall in it, and
 * not needed again in the transaction. In arrival order every messageId (random, as Segment's
 * libraries make them) lands on a random page, so a group larger than the page cache reads pages back
 * and spills dirty pages to the WAL more than once (bench/RESULTS.md, "Replay of a million events").
 * Equal keys keep arrival order: of two events with one messageId the first is the one stored (I-5).
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

/**
 * The order in which a group's new jobs visit the lane index, keyed by (destination, lane key, number):
 * lane by lane, for the same one sweep. `fresh` holds the rows of the new jobs in arrival order and a
 * job's number follows its position there, so the numbers still say the order events came in (which
 * C-RACE-1 and C-IDN-5 compare); only the order of the inserts changes. Returns positions in `fresh`.
 */
export function jobOrder(rows: readonly QueuedRow[], fresh: readonly number[]): number[] {
  return fresh
    .map((_, rank) => rank)
    .sort((a, b) => {
      const x = rows[fresh[a]!]!;
      const y = rows[fresh[b]!]!;
      return compareText(x.destinationId, y.destinationId) || compareText(x.laneKey, y.laneKey) || a - b;
    });
}

// Code-unit order, close to SQLite's BINARY collation; only locality depends on it, never correctness.
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
