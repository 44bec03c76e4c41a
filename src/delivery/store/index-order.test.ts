import { describe, expect, it } from 'vitest';
import { jobOrder, receiptOrder } from './index-order.js';
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

describe('jobOrder: a group inserts its new jobs lane by lane, numbered in arrival order', () => {
  const rows = [
    row('m0', 'user:z'),
    row('m1', 'user:a'),
    row('dup', 'user:q'),
    row('m3', 'user:z'),
    row('m4', 'user:a'),
  ];

  it.each([
    [
      'C-RACE-1: each lane in arrival order, lanes in key order (row 2 a duplicate)',
      [0, 1, 3, 4],
      [1, 3, 0, 2],
    ],
    ['every row new', [0, 1, 2, 3, 4], [1, 4, 2, 0, 3]],
    ['one lane', [0, 3], [0, 1]],
    ['no new jobs', [], []],
  ])('%s', (_name, fresh, expected) => {
    expect(jobOrder(rows, fresh)).toEqual(expected);
  });

  it('orders by destination before lane (the lane index key)', () => {
    const spread = [row('m0', 'user:a', { destinationId: 'z' }), row('m1', 'user:z', { destinationId: 'b' })];
    expect(jobOrder(spread, [0, 1])).toEqual([1, 0]);
  });
});
