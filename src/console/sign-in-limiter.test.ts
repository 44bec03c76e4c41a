import { describe, expect, it } from 'vitest';
import { createSignInLimiter } from './sign-in-limiter.js';

const T0 = 1_700_000_000_000;

describe('failed sign-ins', () => {
  it('makes an address wait after five failures in the window, until the oldest ages out', () => {
    const limiter = createSignInLimiter({ perClient: 5, overall: 50, windowMs: 60_000 });
    for (let i = 0; i < 5; i += 1) limiter.failed('10.0.0.1', T0 + i);
    expect(limiter.waitMs('10.0.0.1', T0 + 10)).toBe(60_000 - 10);
    expect(limiter.waitMs('10.0.0.2', T0 + 10)).toBe(0);
    expect(limiter.waitMs('10.0.0.1', T0 + 60_001)).toBe(0);
  });

  it('counts every address together too, and forgets an address that signs in', () => {
    const limiter = createSignInLimiter({ perClient: 5, overall: 3, windowMs: 60_000 });
    limiter.failed('a', T0);
    limiter.failed('b', T0);
    expect(limiter.waitMs('c', T0)).toBe(0);
    limiter.failed('c', T0);
    expect(limiter.waitMs('d', T0)).toBeGreaterThan(0);
    const single = createSignInLimiter({ perClient: 1, overall: 50, windowMs: 60_000 });
    single.failed('a', T0);
    single.succeeded('a');
    expect(single.waitMs('a', T0)).toBe(0);
  });
});
