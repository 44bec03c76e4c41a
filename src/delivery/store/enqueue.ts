import type { SegmentEvent } from '../../segment/event.js';
import type { QueuedRow } from './queued-row.js';

/** One accepted event on its way into the durable store. */
export interface IncomingEvent {
  /** The source the write key belongs to (a name, never the write key itself: secrets are not stored). */
  readonly sourceId: string;
  /** The Intercom destination (workspace settings) this source delivers to. */
  readonly destinationId: string;
  /** Normalised event; `timestamp` already corrected per I-6. */
  readonly event: SegmentEvent;
  /** ISO-8601 time the server received the event. */
  readonly receivedAt: string;
  /** L-5: sent by a replay (backfill), not by live traffic. */
  readonly replayed?: boolean;
}

/** What happened to a batch handed to the store. */
export interface EnqueueResult {
  /** Newly stored events. */
  readonly stored: number;
  /** Events whose `(sourceId, messageId)` was already stored (client retries, I-5). */
  readonly duplicates: number;
  /**
   * Where the duplicates were, as positions in the events given, when the store reports them: the
   * group commit splits one commit's counts among the calls it served by them.
   */
  readonly duplicateIndexes?: readonly number[];
}

/**
 * The only part of delivery that ingestion sees. `enqueue` resolves once every event is durably
 * committed (I-5: the server answers 200 only after that).
 */
export interface Enqueuer {
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult>;
}

/** A store that takes events already serialised (`toQueuedRow`), as the group commit hands them on. */
export interface RowEnqueuer {
  /** `enqueue` of rows: the same dedupe, lanes and durability. */
  enqueueRows(rows: readonly QueuedRow[]): Promise<EnqueueResult>;
}

/** The dedupe receipts behind I-5, kept after their jobs finish so a late client retry is still a duplicate. */
export interface Receipts {
  /** Forgets dedupe receipts of events received before `beforeMs`; resolves to how many. */
  pruneReceipts(beforeMs: number): Promise<number>;
}
