/**
 * The one time source of the product, in Unix milliseconds. Every part that needs the time takes a
 * `Clock` by injection, so tests run on a manual clock and never sleep.
 */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
