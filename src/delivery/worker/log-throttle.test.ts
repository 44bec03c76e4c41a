import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../clock/manual-clock.js';
import { createLogThrottle } from './log-throttle.js';

const MINUTE = 60_000;

describe('log throttle (L-2)', () => {
  it('L-2 writes the first failure of a lane, collapses repeats for a minute, then writes one line with the count', () => {
    const clock = createManualClock();
    const throttle = createLogThrottle(MINUTE);
    expect(throttle.admit('dest/u:1', 'transient retry 503', clock.now())).toEqual({ log: true, held: 0 });
    for (let i = 1; i <= 4; i += 1) {
      clock.advance(10_000);
      expect(throttle.admit('dest/u:1', 'transient retry 503', clock.now())).toEqual({ log: false, held: i });
    }
    clock.advance(20_000); // a minute after the first line
    expect(throttle.admit('dest/u:1', 'transient retry 503', clock.now())).toEqual({ log: true, held: 4 });
    clock.advance(1_000);
    expect(throttle.admit('dest/u:1', 'transient retry 503', clock.now())).toEqual({ log: false, held: 1 });
  });

  it('L-2 a different failure on the lane is written at once, with what was held before it', () => {
    const clock = createManualClock();
    const throttle = createLogThrottle(MINUTE);
    throttle.admit('lane', 'transient retry 503', clock.now());
    clock.advance(1_000);
    throttle.admit('lane', 'transient retry 503', clock.now());
    clock.advance(1_000);
    expect(throttle.admit('lane', 'transient dead 503', clock.now())).toEqual({ log: true, held: 1 });
  });

  it('L-2 lanes are throttled apart', () => {
    const clock = createManualClock();
    const throttle = createLogThrottle(MINUTE);
    expect(throttle.admit('a', 'x', clock.now()).log).toBe(true);
    expect(throttle.admit('b', 'x', clock.now()).log).toBe(true);
    expect(throttle.admit('a', 'x', clock.now()).log).toBe(false);
  });

  it('L-2 settling a lane reports what was held and starts it afresh', () => {
    const clock = createManualClock();
    const throttle = createLogThrottle(MINUTE);
    throttle.admit('lane', 'x', clock.now());
    throttle.admit('lane', 'x', clock.now());
    throttle.admit('lane', 'x', clock.now());
    expect(throttle.settle('lane')).toBe(2);
    expect(throttle.settle('lane')).toBe(0);
    expect(throttle.admit('lane', 'x', clock.now())).toEqual({ log: true, held: 0 });
  });

  it('remembers at most maxLanes lanes, forgetting the oldest', () => {
    const clock = createManualClock();
    const throttle = createLogThrottle(MINUTE, 2);
    throttle.admit('a', 'x', clock.now());
    throttle.admit('b', 'x', clock.now());
    throttle.admit('c', 'x', clock.now());
    expect(throttle.admit('a', 'x', clock.now()).log).toBe(true);
    expect(throttle.admit('c', 'x', clock.now()).log).toBe(false);
  });
});
