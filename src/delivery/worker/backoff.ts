/** Limits of an exponential backoff, in milliseconds. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** The ceiling never grows past this. */
  readonly capMs: number;
  /** No delay is shorter than this (default 0: full jitter); capped by the ceiling. */
  readonly minMs?: number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential with full jitter, a uniform
 * draw in `[minMs, min(capMs, baseMs * 2^(attempt-1)))`, so that many failing lanes do not retry in step.
 */
export function backoffMs(attempt: number, random: () => number, options: BackoffOptions): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2^exponent overflows to Infinity for large attempts; Math.min keeps the ceiling finite.
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  const floor = Math.min(options.minMs ?? 0, ceiling);
  const draw = Math.min(Math.max(random(), 0), 1);
  return Math.floor(floor + draw * (ceiling - floor));
}
