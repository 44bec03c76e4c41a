import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../intercom/outcome.js';
import { createRatePacer, type RatePacer } from './rate-pacer.js';
import type { Traffic } from './rate-window.js';

const T0 = 1_714_564_800_000;
const OPTIONS = { reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000, liveActivityMs: 10_000 };
const headers = (limit: number, remaining: number, resetAtMs: number): RateLimitInfo => ({
  limit,
  remaining,
  resetAtSeconds: resetAtMs / 1000,
});

/** A pacer that has seen a window of `limit` calls ending at T0 + 10 s, with all of it left. */
function pacerWithWindow(limit: number): RatePacer {
  const pacer = createRatePacer(OPTIONS);
  const first = pacer.admit('ws', 1, T0 - 20_000);
  if (first.kind !== 'admitted') throw new TypeError('expected admission');
  pacer.settle(first.ticket, 0, headers(limit, limit, T0 + 10_000), T0 - 20_000);
  return pacer;
}

/** Admits one-call plans of `traffic` at `nowMs` until the pacer says wait; how many it admitted. */
function admitUntilWait(pacer: RatePacer, traffic: Traffic, nowMs: number): number {
  let admitted = 0;
  while (pacer.admit('ws', 1, nowMs, traffic).kind === 'admitted') admitted += 1;
  return admitted;
}

describe('L-5 rate share between live traffic and a replay', () => {
  it('L-5 a replay alone gets the whole window', () => {
    const pacer = pacerWithWindow(100);
    expect(admitUntilWait(pacer, 'replay', T0)).toBe(100);
    expect(pacer.replayHeld(T0)).toEqual([]);
  });

  it('L-5 while live traffic asks for calls, a replay gets at most half of the window and live the rest', () => {
    const pacer = pacerWithWindow(100);
    expect(pacer.admit('ws', 1, T0, 'live').kind).toBe('admitted');
    expect(admitUntilWait(pacer, 'replay', T0 + 1)).toBe(50);
    expect(pacer.admit('ws', 1, T0 + 1, 'replay')).toEqual({
      kind: 'wait',
      untilMs: T0 + 10_000,
      scope: 'replay',
    });
    // Only the replay waits: live plans still get the rest of the window.
    expect(pacer.replayHeld(T0 + 2)).toEqual(['ws']);
    expect(admitUntilWait(pacer, 'live', T0 + 2)).toBe(49);
    expect(pacer.replayHeld(T0 + 10_000)).toEqual([]);
  });

  it('L-5 the share counts calls spent, not the worst case reserved', () => {
    const pacer = pacerWithWindow(100);
    expect(pacer.admit('ws', 1, T0, 'live').kind).toBe('admitted');
    const admission = pacer.admit('ws', 30, T0, 'replay');
    if (admission.kind !== 'admitted') throw new TypeError('expected admission');
    pacer.settle(admission.ticket, 10, undefined, T0);
    expect(admitUntilWait(pacer, 'replay', T0)).toBe(40);
  });

  it('L-5 once live traffic has been quiet for its activity time, a replay gets all of a new window', () => {
    const pacer = pacerWithWindow(100);
    expect(pacer.admit('ws', 1, T0, 'live').kind).toBe('admitted');
    const quiet = T0 + 10_000 + 1;
    // The window rolled over at T0 + 10 s; live last asked 10 s before `quiet`.
    expect(admitUntilWait(pacer, 'replay', quiet)).toBe(99);
  });

  it('L-5 a window too small for half a plan still lets one replayed plan through while live waits', () => {
    const pacer = pacerWithWindow(4);
    expect(pacer.admit('ws', 1, T0, 'live').kind).toBe('admitted');
    expect(pacer.admit('ws', 3, T0, 'replay').kind).toBe('admitted');
    expect(pacer.admit('ws', 1, T0, 'replay')).toMatchObject({ kind: 'wait', scope: 'replay' });
  });
});
