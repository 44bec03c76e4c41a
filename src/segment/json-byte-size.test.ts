import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from './json.js';
import { fitsJsonBytes, jsonByteLength } from './json-byte-size.js';

describe('fitsJsonBytes (I-3 per-event limit without serialising)', () => {
  it.each<[string, JsonValue, number, boolean]>([
    ['an empty object in 2 bytes', {}, 2, true],
    ['an empty object in 1 byte', {}, 1, false],
    ['a short string', 'abc', 2 + 6 * 3, true],
    ['a short string, one byte short of its bound', 'abc', 2 + 6 * 3 - 1, false],
    [
      'a typical event in 32 KB',
      { type: 'track', event: 'Paid', properties: { plan: 'pro', n: 12.5 } },
      32_768,
      true,
    ],
    ['a 6 KB string in 32 KB (bound 36 KB: counted exactly by the caller)', 'x'.repeat(6_000), 32_768, false],
    ['a 100 KB string in 32 KB', 'x'.repeat(100_000), 32_768, false],
  ])('%s', (_name, value, maxBytes, expected) => {
    expect(fitsJsonBytes(value, maxBytes)).toBe(expected);
  });

  it('I-3 never says "fits" for a value whose JSON is larger (any JSON, any unicode, any limit)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 0, max: 4_000 }), (value, maxBytes) => {
        const json = value as JsonValue;
        if (fitsJsonBytes(json, maxBytes)) expect(jsonByteLength(json)).toBeLessThanOrEqual(maxBytes);
      }),
      { numRuns: 2_000 },
    );
  });

  it('I-3 holds for strings full of escapes and astral characters', () => {
    const nasty = '\u0000\u001f"\\\u2028😀\ud800'.repeat(50);
    const value: JsonValue = { [nasty]: [nasty, { k: nasty }] };
    const exact = jsonByteLength(value);
    expect(fitsJsonBytes(value, exact - 1)).toBe(false);
  });
});
