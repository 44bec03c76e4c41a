import { describe, expect, it } from 'vitest';
import { bearerToken, isAuthorized } from './auth.js';

describe('isAuthorized', () => {
  it.each([
    { header: 'Bearer abc', expected: undefined, ok: true },
    { header: 'bearer abc', expected: undefined, ok: true },
    { header: 'Bearer ', expected: undefined, ok: false },
    { header: undefined, expected: undefined, ok: false },
    { header: 'Basic abc', expected: undefined, ok: false },
    { header: 'Bearer abc', expected: 'abc', ok: true },
    { header: 'Bearer abd', expected: 'abc', ok: false },
    { header: 'Bearer abcd', expected: 'abc', ok: false },
  ])('$header with configured token $expected → $ok', ({ header, expected, ok }) => {
    expect(isAuthorized(header, expected)).toBe(ok);
  });

  it('extracts the token', () => {
    expect(bearerToken('Bearer tok_123')).toBe('tok_123');
  });
});
