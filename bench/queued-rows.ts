import { randomUUID } from 'node:crypto';
import type { QueuedRow } from '../src/delivery/store/queued-row.js';
import { batchTemplate } from './ingest-events.js';

const template = JSON.parse(batchTemplate('k', 'queued').join('x')) as {
  batch: Record<string, unknown>[];
};

/** What varies between the store benchmarks' rows: whose lane row `i` is in, and how it arrived. */
export interface RowShape {
  readonly laneOf: (index: number) => string;
  readonly receivedAt: () => string;
  readonly replayed: boolean;
}

/**
 * `count` queued rows from row `start` on: track and identify with analytics.js's context (the
 * ingestion benchmarks' events), each with a new random messageId (UUID v4).
 */
export function queuedRows(start: number, count: number, shape: RowShape): QueuedRow[] {
  const out: QueuedRow[] = [];
  for (let i = start; i < start + count; i += 1) {
    const event = template.batch[i % template.batch.length] ?? {};
    const messageId = randomUUID();
    out.push({
      sourceId: 'source-1',
      destinationId: 'dest-1',
      messageId,
      laneKey: shape.laneOf(i),
      eventJson: JSON.stringify({ ...event, messageId }),
      receivedAt: shape.receivedAt(),
      replayed: shape.replayed,
    });
  }
  return out;
}
