import type { Clock } from './clock.js';

/** A clock for tests: starts at a fixed time and moves only when told. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** Creates a manual clock starting at `startMs` (default 2023-11-14T22:13:20Z). */
export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms) {
      nowMs += ms;
    },
  };
}
