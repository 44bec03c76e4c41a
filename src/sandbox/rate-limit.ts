/** How many requests a workspace may make per window (Intercom: per 10-second window). */
export interface RateLimitConfig {
  readonly limit: number;
  readonly windowMs: number;
}

/** The counter of the current window; windows are aligned to multiples of `windowMs` since the epoch. */
export interface RateLimitWindow {
  readonly windowStartMs: number;
  readonly count: number;
}

/** What to answer for one request, and the values of the three `X-RateLimit-*` headers. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds at which the window ends (`X-RateLimit-Reset`), rounded up. */
  readonly resetSeconds: number;
}

/** A counter before any request. */
export const EMPTY_WINDOW: RateLimitWindow = { windowStartMs: 0, count: 0 };

/** Counts one request at `nowMs`; a refused request does not use up the budget (intercom-api.md §4.1). */
export function consumeRateLimit(
  window: RateLimitWindow,
  nowMs: number,
  config: RateLimitConfig,
): { readonly window: RateLimitWindow; readonly decision: RateLimitDecision } {
  const windowStartMs = Math.floor(nowMs / config.windowMs) * config.windowMs;
  const current = windowStartMs === window.windowStartMs ? window : { windowStartMs, count: 0 };
  const resetSeconds = Math.ceil((windowStartMs + config.windowMs) / 1000);
  if (current.count >= config.limit) {
    return { window: current, decision: { allowed: false, limit: config.limit, remaining: 0, resetSeconds } };
  }
  const next = { windowStartMs, count: current.count + 1 };
  return {
    window: next,
    decision: { allowed: true, limit: config.limit, remaining: config.limit - next.count, resetSeconds },
  };
}

/** The window's name in Intercom's 429 message ("Exceeded rate limit of 167 in 10_seconds"). */
export function windowLabel(windowMs: number): string {
  const seconds = windowMs / 1000;
  return Number.isInteger(seconds) ? `${seconds}_seconds` : `${windowMs}_milliseconds`;
}
