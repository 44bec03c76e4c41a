import type { RateLimitInfo } from './outcome.js';

/** The one thing we need from a `Headers` object, so plain test doubles work too. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Parses a header holding a non-negative integer; anything else is treated as absent. */
function readCount(headers: HeaderReader, name: string): number | undefined {
  const raw = headers.get(name)?.trim();
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/**
 * Reads Intercom's `X-RateLimit-Limit/Remaining/Reset` headers; `undefined` unless all three are
 * valid, because a partial reading would mislead the workspace rate limiter (ARCHITECTURE.md decision 5).
 * Intercom omits them on unauthenticated answers, and `Reset` is Unix seconds.
 */
export function parseRateLimitHeaders(headers: HeaderReader): RateLimitInfo | undefined {
  const limit = readCount(headers, 'x-ratelimit-limit');
  const remaining = readCount(headers, 'x-ratelimit-remaining');
  const resetAtSeconds = readCount(headers, 'x-ratelimit-reset');
  if (limit === undefined || remaining === undefined || resetAtSeconds === undefined) return undefined;
  return { limit, remaining, resetAtSeconds };
}
