import { describe, expect, it } from 'vitest';
import type { DestinationPause } from '../store/pauses.js';
import type { QueueDepth } from '../store/reports.js';
import { type DestinationHealth, serviceHealth } from './health.js';

const T0 = Date.parse('2024-05-01T12:00:00.000Z');

function depth(destinationId: string, pending: number, parked = 0, deadLetters = 0): QueueDepth {
  return { destinationId, pending, parked, inFlight: 0, deadLetters };
}

const cases: readonly {
  readonly name: string;
  readonly pauses: readonly DestinationPause[];
  readonly depths: readonly QueueDepth[];
  readonly delivery: 'paused' | 'running';
  readonly destination: DestinationHealth;
}[] = [
  {
    name: 'delivering with nothing queued',
    pauses: [],
    depths: [],
    delivery: 'running',
    destination: {
      id: 'acme',
      status: 'delivering',
      pending: 0,
      parked: 0,
      deadLetters: 0,
      oldestPendingAgeSeconds: 0,
    },
  },
  {
    name: 'delivering, with its own counts only',
    pauses: [],
    depths: [depth('acme', 3, 1, 2), depth('other', 9)],
    delivery: 'running',
    destination: {
      id: 'acme',
      status: 'delivering',
      pending: 3,
      parked: 1,
      deadLetters: 2,
      oldestPendingAgeSeconds: 0,
    },
  },
  {
    name: 'rate_limited until the reset of a timed pause (429)',
    pauses: [{ destinationId: 'acme', reason: 'rate_limited', untilMs: T0 + 10_000, sinceMs: T0 }],
    depths: [depth('acme', 5)],
    delivery: 'running',
    destination: {
      id: 'acme',
      status: 'rate_limited',
      reason: 'rate_limited',
      until: '2024-05-01T12:00:10.000Z',
      pending: 5,
      parked: 0,
      deadLetters: 0,
      oldestPendingAgeSeconds: 0,
    },
  },
  {
    name: 'paused by a rejected token (open-ended), which pauses delivery',
    pauses: [{ destinationId: 'acme', reason: 'unauthorized', sinceMs: T0 }],
    depths: [depth('acme', 1)],
    delivery: 'paused',
    destination: {
      id: 'acme',
      status: 'paused',
      reason: 'unauthorized',
      pending: 1,
      parked: 0,
      deadLetters: 0,
      oldestPendingAgeSeconds: 0,
    },
  },
  {
    name: 'delivering while another destination is paused, which still pauses delivery',
    pauses: [{ destinationId: 'other', reason: 'forbidden', sinceMs: T0 }],
    depths: [],
    delivery: 'paused',
    destination: {
      id: 'acme',
      status: 'delivering',
      pending: 0,
      parked: 0,
      deadLetters: 0,
      oldestPendingAgeSeconds: 0,
    },
  },
];

describe('serviceHealth (GET /health)', () => {
  for (const c of cases) {
    it(`a destination ${c.name}`, () => {
      const report = serviceHealth({
        pauses: c.pauses,
        depths: c.depths,
        failures: [],
        nowMs: T0,
        destinationIds: ['acme'],
        intercom: 'intercom',
      });
      expect(report).toEqual({
        ok: true,
        intercom: 'intercom',
        delivery: c.delivery,
        destinations: [c.destination],
      });
    });
  }

  it('stays ok for ingestion and lists every configured destination in order, queued or not', () => {
    const report = serviceHealth({
      pauses: [{ destinationId: 'b', reason: 'unauthorized', sinceMs: T0 }],
      depths: [depth('a', 2)],
      failures: [],
      nowMs: T0,
      destinationIds: ['b', 'a', 'c'],
      intercom: 'sandbox',
    });
    expect(report.ok).toBe(true);
    expect(report.intercom).toBe('sandbox');
    expect(report.destinations.map((d) => [d.id, d.status, d.pending])).toEqual([
      ['b', 'paused', 0],
      ['a', 'delivering', 2],
      ['c', 'delivering', 0],
    ]);
  });

  it('L-2 shows the age of the oldest undelivered event and the last failure with its class', () => {
    const report = serviceHealth({
      pauses: [],
      depths: [{ ...depth('acme', 1), oldestReceivedAt: '2024-05-01T11:58:00.500Z' }],
      failures: [
        {
          destinationId: 'acme',
          failureClass: 'permanent',
          status: 409,
          code: 'identity_conflict',
          atMs: T0 - 5_000,
        },
        { destinationId: 'other', failureClass: 'transient', atMs: T0 },
      ],
      nowMs: T0,
      destinationIds: ['acme', 'quiet'],
      intercom: 'intercom',
    });
    expect(report.destinations).toEqual([
      {
        id: 'acme',
        status: 'delivering',
        pending: 1,
        parked: 0,
        deadLetters: 0,
        oldestPendingAgeSeconds: 119,
        lastError: {
          class: 'permanent',
          at: '2024-05-01T11:59:55.000Z',
          status: 409,
          code: 'identity_conflict',
        },
      },
      {
        id: 'quiet',
        status: 'delivering',
        pending: 0,
        parked: 0,
        deadLetters: 0,
        oldestPendingAgeSeconds: 0,
      },
    ]);
  });
});
