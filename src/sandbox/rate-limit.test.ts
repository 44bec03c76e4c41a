import { describe, expect, it } from 'vitest';
import { EMPTY_WINDOW, consumeRateLimit, windowLabel } from './rate-limit.js';

const config = { limit: 3, windowMs: 10_000 };

describe('consumeRateLimit (Intercom: per 10-second window)', () => {
  it.each([
    {
      name: 'first request of a window',
      window: EMPTY_WINDOW,
      now: 1_700_000_001_000,
      allowed: true,
      remaining: 2,
      count: 1,
    },
    {
      name: 'second request in the same window',
      window: { windowStartMs: 1_700_000_000_000, count: 1 },
      now: 1_700_000_009_999,
      allowed: true,
      remaining: 1,
      count: 2,
    },
    {
      name: 'last allowed request',
      window: { windowStartMs: 1_700_000_000_000, count: 2 },
      now: 1_700_000_005_000,
      allowed: true,
      remaining: 0,
      count: 3,
    },
    {
      name: 'over the limit: refused, not counted',
      window: { windowStartMs: 1_700_000_000_000, count: 3 },
      now: 1_700_000_005_000,
      allowed: false,
      remaining: 0,
      count: 3,
    },
    {
      name: 'a new window starts the count again',
      window: { windowStartMs: 1_700_000_000_000, count: 3 },
      now: 1_700_000_010_000,
      allowed: true,
      remaining: 2,
      count: 1,
    },
  ])('$name', ({ window, now, allowed, remaining, count }) => {
    const result = consumeRateLimit(window, now, config);
    expect(result.decision.allowed).toBe(allowed);
    expect(result.decision.remaining).toBe(remaining);
    expect(result.decision.limit).toBe(3);
    expect(result.window.count).toBe(count);
  });

  it('reports the window end as Unix seconds (X-RateLimit-Reset)', () => {
    const { decision } = consumeRateLimit(EMPTY_WINDOW, 1_700_000_003_500, config);
    expect(decision.resetSeconds).toBe(1_700_000_010);
  });

  it('rounds a window end that is not on a whole second up', () => {
    const { decision } = consumeRateLimit(EMPTY_WINDOW, 1_000, { limit: 1, windowMs: 1_500 });
    expect(decision.resetSeconds).toBe(2);
  });

  it('a limit of 0 refuses everything', () => {
    expect(consumeRateLimit(EMPTY_WINDOW, 5_000, { limit: 0, windowMs: 10_000 }).decision.allowed).toBe(
      false,
    );
  });
});

describe('windowLabel', () => {
  it.each([
    [10_000, '10_seconds'],
    [60_000, '60_seconds'],
    [1_500, '1500_milliseconds'],
  ])('%i ms → %s', (ms, label) => {
    expect(windowLabel(ms)).toBe(label);
  });
});
