import { describe, expect, it } from 'vitest';
import type { RateLimitInfo } from '../../intercom/outcome.js';
import type { RatePacer } from './rate-pacer.js';
import type { PacerTicket } from './rate-window.js';
import { createRatePacer } from './rate-pacer.js';

const T0 = 1_714_564_800_000; // a whole second: windows below end on whole seconds like Intercom's
const headers = (limit: number, remaining: number, resetAtMs: number): RateLimitInfo => ({
  limit,
  remaining,
  resetAtSeconds: resetAtMs / 1000,
});

function admitted(pacer: RatePacer, destinationId: string, calls: number, nowMs: number): PacerTicket {
  const admission = pacer.admit(destinationId, calls, nowMs);
  if (admission.kind !== 'admitted') throw new TypeError(`expected admission, got ${admission.kind}`);
  return admission.ticket;
}

/** Runs plans of one call each at `nowMs` against a simulated Intercom window; counts admissions. */
function drainWindow(
  pacer: RatePacer,
  intercom: { limit: number; used: number; resetAtMs: number },
  nowMs: number,
  concurrency: number,
): { admitted: number; rejected429: number } {
  let admittedCount = 0;
  let rejected429 = 0;
  for (;;) {
    const tickets: PacerTicket[] = [];
    for (let i = 0; i < concurrency; i += 1) {
      const admission = pacer.admit('ws', 1, nowMs);
      if (admission.kind === 'wait') break;
      tickets.push(admission.ticket);
    }
    if (tickets.length === 0) return { admitted: admittedCount, rejected429 };
    for (const ticket of tickets) {
      admittedCount += 1;
      intercom.used += 1;
      if (intercom.used > intercom.limit) rejected429 += 1;
      const remaining = Math.max(0, intercom.limit - intercom.used);
      pacer.settle(ticket, 1, headers(intercom.limit, remaining, intercom.resetAtMs), nowMs);
    }
  }
}

describe('rate pacer (issue #5 proactive rate limiting, ARCHITECTURE.md decision 5)', () => {
  it('admits freely before any headers were seen', () => {
    const pacer = createRatePacer();
    for (let i = 0; i < 50; i += 1) expect(pacer.admit('ws', 1, T0).kind).toBe('admitted');
    expect(pacer.budget('ws')).toBeUndefined();
  });

  it('spends a window down to the reserve, then waits for its reset', () => {
    const pacer = createRatePacer({ reserveCalls: 2, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(10, 9, T0 + 10_000), T0);
    const results = Array.from({ length: 8 }, () => pacer.admit('ws', 1, T0 + 5).kind);
    expect(results).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'wait',
    ]);
    expect(pacer.admit('ws', 1, T0 + 5)).toEqual({ kind: 'wait', untilMs: T0 + 10_000, scope: 'workspace' });
  });

  it('reserves a plan’s calls and takes back extra calls it spent without asking', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(10, 6, T0 + 10_000), T0);
    const ticket = admitted(pacer, 'ws', 3, T0);
    expect(pacer.budget('ws')).toMatchObject({ remaining: 3, inFlightCalls: 3 });
    pacer.settle(ticket, 5, undefined, T0);
    expect(pacer.budget('ws')).toMatchObject({ remaining: 1, inFlightCalls: 0 });
    expect(pacer.admit('ws', 2, T0).kind).toBe('wait');
    expect(pacer.admit('ws', 1, T0).kind).toBe('admitted');
  });

  it('starts afresh when the clock passes the reset, counting calls still running', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(5, 0, T0 + 1_000), T0);
    expect(pacer.admit('ws', 1, T0 + 999).kind).toBe('wait');
    const straddling = admitted(pacer, 'ws', 1, T0 + 1_000);
    expect(pacer.budget('ws')).toMatchObject({ remaining: 4, inFlightCalls: 1 });
    pacer.settle(straddling, 1, headers(5, 4, T0 + 2_000), T0 + 1_010);
    expect(pacer.budget('ws')).toMatchObject({ remaining: 4, resetAtMs: T0 + 2_000 });
  });

  it('believes a lower remaining from Intercom (another client of the workspace)', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(100, 90, T0 + 10_000), T0);
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(100, 40, T0 + 10_000), T0);
    expect(pacer.budget('ws')?.remaining).toBe(40);
  });

  it('ignores a slow answer from the previous window', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    const slow = admitted(pacer, 'ws', 1, T0);
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(100, 98, T0 + 1_000), T0);
    pacer.settle(admitted(pacer, 'ws', 1, T0 + 1_000), 1, headers(100, 99, T0 + 2_000), T0 + 1_001);
    pacer.settle(slow, 1, headers(100, 3, T0 + 1_000), T0 + 1_002);
    expect(pacer.budget('ws')).toMatchObject({ resetAtMs: T0 + 2_000, remaining: 98 });
  });

  it('does not trust a reset further away than maxWaitMs', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(10, 0, T0 + 3_600_000), T0);
    expect(pacer.budget('ws')).toBeUndefined();
    expect(pacer.admit('ws', 1, T0).kind).toBe('admitted');
  });

  it('keeps workspaces apart: a spent window waits only for its own destination', () => {
    const pacer = createRatePacer({ reserveCalls: 0, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'a', 1, T0), 1, headers(10, 0, T0 + 10_000), T0);
    pacer.settle(admitted(pacer, 'b', 1, T0), 1, headers(10, 9, T0 + 10_000), T0);
    expect(pacer.admit('a', 1, T0).kind).toBe('wait');
    expect(pacer.admit('b', 1, T0).kind).toBe('admitted');
  });

  it('a window smaller than the reserve still admits a plan that fits the limit', () => {
    const pacer = createRatePacer({ reserveCalls: 5, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    pacer.settle(admitted(pacer, 'ws', 1, T0), 1, headers(3, 3, T0 + 10_000), T0);
    expect(pacer.admit('ws', 2, T0).kind).toBe('admitted');
    expect(pacer.admit('ws', 1, T0).kind).toBe('wait');
  });

  it('drains window after window at the limit less the reserve, with no 429', () => {
    const pacer = createRatePacer({ reserveCalls: 2, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    let spent = 0;
    let rejected = 0;
    for (let w = 0; w < 20; w += 1) {
      const start = T0 + w * 1_000;
      const intercom = { limit: 100, used: 0, resetAtMs: start + 1_000 };
      const result = drainWindow(pacer, intercom, start, 8);
      spent += result.admitted;
      rejected += result.rejected429;
    }
    expect(rejected).toBe(0);
    // The first window is spent blind (no headers yet) and the rest at limit - reserve.
    expect(spent / (20 * 100)).toBeGreaterThanOrEqual(0.95);
  });
});
