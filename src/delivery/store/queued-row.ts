import type { IncomingEvent } from './enqueue.js';
import { laneKeyOf } from './lane-key.js';

/**
 * An accepted event as the store writes it: ids, lane and the event already serialised. Building it
 * is the per-event CPU work of an enqueue that does not need the database, so a store running on
 * another thread receives these (cheap to pass between threads) instead of event objects.
 */
export interface QueuedRow {
  readonly sourceId: string;
  readonly destinationId: string;
  readonly messageId: string;
  /** C-RACE-1 lane (see `lane-key.ts`). */
  readonly laneKey: string;
  readonly eventJson: string;
  /** ISO-8601 time the server received the event. */
  readonly receivedAt: string;
  /** L-5: stored by a replay. */
  readonly replayed: boolean;
}

/** The row an accepted event is stored as. */
export function toQueuedRow(incoming: IncomingEvent): QueuedRow {
  const { sourceId, destinationId, event, receivedAt, replayed = false } = incoming;
  return {
    sourceId,
    destinationId,
    messageId: event.messageId,
    laneKey: laneKeyOf(event),
    eventJson: JSON.stringify(event),
    receivedAt,
    replayed,
  };
}

/** The receive time in Unix ms, as receipts keep it for pruning (0 when unreadable: pruned first). */
export function receivedAtMsOf(receivedAt: string): number {
  const ms = Date.parse(receivedAt);
  return Number.isNaN(ms) ? 0 : ms;
}
