import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../clock/manual-clock.js';
import type { FlowCount } from '../../delivery/store/flow-history.js';
import { createFlowRecorder } from './flow-recorder.js';
import { flowSeries } from './flow-series.js';
import { callClass, type FlowTotals } from './flow-totals.js';

const MINUTE = 60_000;
const T0 = 1_700_000_080_000; // 40 s into a minute

function totals(received: number, delivered: number): FlowTotals {
  return new Map([
    [
      'd1',
      new Map([
        ['received', received],
        ['delivered', delivered],
      ]),
    ],
  ]);
}

describe('the console history', () => {
  it('stores what changed since the last flush, in the minute of that flush, and shows the unflushed part', async () => {
    const clock = createManualClock(T0);
    let current = totals(2, 0);
    const stored: FlowCount[] = [];
    const recorder = createFlowRecorder({
      totals: () => Promise.resolve(current),
      store: {
        addFlowCounts: (c) => Promise.resolve(void stored.push(...c)),
        pruneFlowCounts: () => Promise.resolve(0),
      },
      clock,
    });
    current = totals(7, 3);
    expect(await recorder.unflushed()).toEqual([
      { destinationId: 'd1', series: 'received', count: 5, minuteMs: T0 - 40_000 },
      { destinationId: 'd1', series: 'delivered', count: 3, minuteMs: T0 - 40_000 },
    ]);
    clock.advance(20_050); // just past the minute boundary
    await recorder.flush();
    current = totals(8, 3);
    clock.advance(MINUTE);
    await recorder.flush();
    expect(stored).toEqual([
      { destinationId: 'd1', series: 'received', count: 5, minuteMs: T0 - 40_000 },
      { destinationId: 'd1', series: 'delivered', count: 3, minuteMs: T0 - 40_000 },
      { destinationId: 'd1', series: 'received', count: 1, minuteMs: T0 + 20_000 },
    ]);
    expect(await recorder.unflushed()).toEqual([]);
  });

  it('keeps the counts of a failed write for the next flush', async () => {
    const clock = createManualClock(T0);
    let current = totals(0, 0);
    let fail = true;
    const stored: FlowCount[] = [];
    const recorder = createFlowRecorder({
      totals: () => Promise.resolve(current),
      store: {
        addFlowCounts: (c) =>
          fail ? Promise.reject(new Error('down')) : Promise.resolve(void stored.push(...c)),
        pruneFlowCounts: () => Promise.resolve(0),
      },
      clock,
    });
    current = totals(4, 0);
    await expect(recorder.flush()).rejects.toThrow('down');
    fail = false;
    await recorder.flush();
    expect(stored.map((c) => c.count)).toEqual([4]);
  });

  it('lays the last hour out minute by minute with the calls by class', () => {
    const now = T0;
    const minute = now - 40_000;
    const rows: FlowCount[] = [
      { destinationId: 'd1', minuteMs: minute, series: 'received', count: 4 },
      { destinationId: 'd1', minuteMs: minute, series: 'received', count: 1 },
      { destinationId: 'd1', minuteMs: minute - 59 * MINUTE, series: 'dead', count: 2 },
      { destinationId: 'd1', minuteMs: minute - 60 * MINUTE, series: 'dead', count: 9 },
      { destinationId: 'd2', minuteMs: minute, series: 'received', count: 8 },
      { destinationId: 'd1', minuteMs: minute, series: 'calls_2xx', count: 6 },
      { destinationId: 'd1', minuteMs: minute - MINUTE, series: 'calls_429', count: 1 },
    ];
    const hour = flowSeries('d1', rows, now);
    expect(hour.minutes).toHaveLength(60);
    expect(hour.minutes.at(-1)).toBe(minute / 1000);
    expect(hour.series.received.at(-1)).toBe(5);
    expect(hour.series.dead[0]).toBe(2);
    expect(hour.series.dead.reduce((a, b) => a + b)).toBe(2);
    expect(hour.callsLastHour).toEqual({ '2xx': 6, '429': 1 });
    expect(['200', '201', '400', '429', '503', 'network_error'].map(callClass)).toEqual([
      '2xx',
      '2xx',
      '4xx',
      '429',
      '5xx',
      'failed',
    ]);
  });
});
