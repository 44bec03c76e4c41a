import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../segment/json.js';
import { buildMetadata, parseRevenue, revenueToCents, toMetadataScalar, toRichLink } from './metadata.js';

const defaults = { richLinkProperties: [], maxKeys: 10 } as const;

describe('revenue (C-TR-3)', () => {
  it.each([
    [12.5, 12.5],
    ['12.50', 12.5],
    ['$12.50', 12.5],
    [' $ 12 ', 12],
    ['$1,234.50', 1234.5],
    ['1,23', undefined],
    [0, undefined],
    [-5, undefined],
    ['-5', undefined],
    ['twelve', undefined],
    [null, undefined],
    [true, undefined],
    [Number.POSITIVE_INFINITY, undefined],
  ] as const)('C-TR-3 parseRevenue(%j) → %j', (input, expected) => {
    expect(parseRevenue(input)).toBe(expected);
  });

  it.each([
    [19.99, 1999],
    [0.1 + 0.2, 30],
    [1.005, 101],
    [12.5, 1250],
    [0.004, 0],
    [1e300, undefined],
  ] as const)('C-TR-3 revenueToCents(%j) → %j', (input, expected) => {
    expect(revenueToCents(input)).toBe(expected);
  });
});

describe('metadata values (C-TR-2, C-TR-5)', () => {
  it.each([
    ['text', 'text'],
    [3, 3],
    [true, 'true'],
    [false, 'false'],
    [null, undefined],
    [{ a: 1 }, undefined],
    [[1], undefined],
  ] as const)('C-TR-2 %j → %j', (input, expected) => {
    expect(toMetadataScalar(input as JsonValue)).toBe(expected);
  });

  it.each([
    [
      { url: 'https://x.example', value: 'X' },
      { url: 'https://x.example', value: 'X' },
    ],
    [
      { url: 'https://x.example', value: 'X', extra: 1 },
      { url: 'https://x.example', value: 'X' },
    ],
    [{ url: 'https://x.example' }, undefined],
    [{ url: 1, value: 'X' }, undefined],
    ['https://x.example', undefined],
  ] as const)('C-TR-5 toRichLink(%j)', (input, expected) => {
    expect(toRichLink(input)).toEqual(expected);
  });
});

describe('buildMetadata (C-TR-2..5)', () => {
  it('C-TR-4 orders price, then rich links, then the rest as received', () => {
    const result = buildMetadata(
      { a: 1, link: { url: 'u', value: 'v' }, revenue: '$9.99', b: 'x', currency: 'eur' },
      { richLinkProperties: ['link'], maxKeys: 10 },
    );
    expect(Object.entries(result.metadata)).toEqual([
      ['price', { amount: 999, currency: 'eur' }],
      ['link', { url: 'u', value: 'v' }],
      ['a', 1],
      ['b', 'x'],
    ]);
    expect(result.dropped).toEqual([]);
  });

  it('C-TR-4 drops keys past the budget and names them', () => {
    const properties = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    const result = buildMetadata({ ...properties, revenue: 1 }, defaults);
    expect(Object.keys(result.metadata)).toEqual(['price', ...Array.from({ length: 9 }, (_, i) => `k${i}`)]);
    expect(result.dropped).toEqual(['k9', 'k10', 'k11']);
  });

  it('C-TR-4 a zero budget sends no metadata', () => {
    expect(buildMetadata({ a: 1 }, { richLinkProperties: [], maxKeys: 0 })).toEqual({
      metadata: {},
      dropped: ['a'],
      nested: [],
    });
  });

  it('C-TR-2 drops nulls silently and reports nested values', () => {
    expect(buildMetadata({ a: null, b: { c: 1 }, d: [1] }, defaults)).toEqual({
      metadata: {},
      dropped: [],
      nested: ['b', 'd'],
    });
  });

  it('C-TR-3 revenue that is not positive stays an ordinary property', () => {
    expect(buildMetadata({ revenue: 0, currency: 'eur' }, defaults).metadata).toEqual({
      revenue: 0,
      currency: 'eur',
    });
  });

  it('C-TR-3 the computed price replaces a price property', () => {
    const result = buildMetadata({ price: 5, revenue: 10 }, defaults);
    expect(result.metadata).toEqual({ price: { amount: 1000, currency: 'usd' } });
    expect(result.dropped).toEqual(['price']);
  });

  it('C-TR-5 a rich link property not listed in the setting is dropped as nested', () => {
    expect(buildMetadata({ link: { url: 'u', value: 'v' } }, defaults).nested).toEqual(['link']);
  });
});
