import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../segment/json.js';
import {
  buildMetadata,
  parseRevenue,
  revenueToCents,
  toMetadataScalar,
  toMoneyObject,
  toRichLink,
} from './metadata.js';

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

describe('buildMetadata (C-TR-2..5, C-TR-7)', () => {
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

  it('C-TR-4 a budget that is not a number keeps nothing, as a zero budget does', () => {
    const result = buildMetadata({ a: 1, revenue: 2 }, { richLinkProperties: [], maxKeys: Number.NaN });
    expect(result.metadata).toEqual({});
    expect(result.dropped).toEqual(['price', 'a']);
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

  it('C-TR-3 the computed price replaces a price property (track warns: replaced_by_price)', () => {
    const result = buildMetadata({ price: 5, revenue: 10 }, defaults);
    expect(result.metadata).toEqual({ price: { amount: 1000, currency: 'usd' } });
    expect(result.dropped).toEqual([]);
    expect(result.nested).toEqual([]);
  });

  it('C-TR-7 a money object passes through unchanged, in the order received', () => {
    const result = buildMetadata({ a: 1, refund: { amount: 3000, currency: 'EUR' }, b: 2 }, defaults);
    expect(Object.entries(result.metadata)).toEqual([
      ['a', 1],
      ['refund', { amount: 3000, currency: 'EUR' }],
      ['b', 2],
    ]);
    expect(result.nested).toEqual([]);
  });

  it('C-TR-7 money objects count within the key budget', () => {
    const result = buildMetadata(
      { total: { amount: 3000, currency: 'USD' }, tax: { amount: 300, currency: 'USD' }, c: 3 },
      { richLinkProperties: [], maxKeys: 2 },
    );
    expect(Object.keys(result.metadata)).toEqual(['total', 'tax']);
    expect(result.dropped).toEqual(['c']);
  });

  it('C-TR-7 a money object sent as price gives way to the price computed from revenue', () => {
    const result = buildMetadata({ price: { amount: 1, currency: 'USD' }, revenue: 2 }, defaults);
    expect(result.metadata).toEqual({ price: { amount: 200, currency: 'usd' } });
    expect(result.nested).toEqual([]);
  });

  it('C-TR-7 a money object sent as price without revenue is kept as the event sent it', () => {
    const result = buildMetadata({ price: { amount: 1999, currency: 'GBP' } }, defaults);
    expect(result.metadata).toEqual({ price: { amount: 1999, currency: 'GBP' } });
  });

  it.each([
    [
      { amount: 3000, currency: 'USD' },
      { amount: 3000, currency: 'USD' },
    ],
    [
      { amount: 0, currency: 'jpy' },
      { amount: 0, currency: 'jpy' },
    ],
    [{ amount: 30.5, currency: 'USD' }, undefined],
    [{ amount: -3000, currency: 'USD' }, undefined],
    [{ amount: '3000', currency: 'USD' }, undefined],
    [{ amount: 3000, currency: '' }, undefined],
    [{ amount: 3000, currency: 840 }, undefined],
    [{ amount: 3000 }, undefined],
    [{ amount: 3000, currency: 'USD', note: 'x' }, undefined],
    [{ amount: 2 ** 60, currency: 'USD' }, undefined],
    [[3000, 'USD'], undefined],
  ] as const)('C-TR-7 toMoneyObject(%j) → %j', (input, expected) => {
    expect(toMoneyObject(input as JsonValue)).toEqual(expected);
  });

  it('C-TR-5 a rich link property not listed in the setting is dropped as nested', () => {
    expect(buildMetadata({ link: { url: 'u', value: 'v' } }, defaults).nested).toEqual(['link']);
  });
});
