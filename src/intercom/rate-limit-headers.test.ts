import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from './rate-limit-headers.js';

describe('parseRateLimitHeaders', () => {
  it.each([
    [
      'all three headers',
      { 'X-RateLimit-Limit': '167', 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': '1764355810' },
      { limit: 167, remaining: 12, resetAtSeconds: 1764355810 },
    ],
    [
      'padded values, zero remaining',
      { 'x-ratelimit-limit': ' 1000 ', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1764355810' },
      { limit: 1000, remaining: 0, resetAtSeconds: 1764355810 },
    ],
    ['no headers (unauthenticated answer)', {}, undefined],
    ['missing reset', { 'X-RateLimit-Limit': '167', 'X-RateLimit-Remaining': '12' }, undefined],
    [
      'non-numeric remaining',
      { 'X-RateLimit-Limit': '167', 'X-RateLimit-Remaining': 'many', 'X-RateLimit-Reset': '1' },
      undefined,
    ],
    [
      'negative limit',
      { 'X-RateLimit-Limit': '-1', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': '1' },
      undefined,
    ],
    [
      'fractional reset',
      { 'X-RateLimit-Limit': '1', 'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': '1.5' },
      undefined,
    ],
  ])('%s', (_name, headers, expected) => {
    expect(parseRateLimitHeaders(new Headers(headers))).toEqual(expected);
  });
});
