import { describe, expect, it } from 'vitest';
import { receiptOrder } from './index-order.js';
import type { QueuedRow } from './queued-row.js';

function row(messageId: string, laneKey: string, overrides: Partial<QueuedRow> = {}): QueuedRow {
  return {
    sourceId: 'web',
    destinationId: 'main',
    messageId,
    laneKey,
    eventJson: '{}',
    receivedAt: '2024-05-01T12:00:00.000Z',
    replayed: true,
    ...overrides,
  };
}

describe('receiptOrder: a group visits the receipts index in key order', () => {
  it.each([
    ['already sorted', ['a', 'b', 'c'], [0, 1, 2]],
    ['reversed', ['c', 'b', 'a'], [2, 1, 0]],
    ['shuffled', ['m2', 'm9', 'm1', 'm5'], [2, 0, 3, 1]],
    ['I-5: of two events with one messageId the first comes first', ['b', 'a', 'b', 'a'], [1, 3, 0, 2]],
    ['empty group', [], []],
  ])('%s', (_name, messageIds, expected) => {
    expect(receiptOrder(messageIds.map((id) => row(id, 'user:u')))).toEqual(expected);
  });

  it('orders by source first, then messageId, then destination (the receipt key)', () => {
    const rows = [
      row('a', 'user:u', { sourceId: 'web', destinationId: 'z' }),
      row('a', 'user:u', { sourceId: 'web', destinationId: 'b' }),
      row('z', 'user:u', { sourceId: 'app' }),
    ];
    expect(receiptOrder(rows)).toEqual([2, 1, 0]);
  });
});
