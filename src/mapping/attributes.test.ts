import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../segment/json.js';
import {
  inferAttributeType,
  isValidAttributeName,
  mapCustomAttributes,
  toScalarAttribute,
} from './attributes.js';

describe('custom attributes (C-ID-4)', () => {
  it.each([
    ['plan', true],
    ['with space', true],
    ['a.b', false],
    ['$price', false],
    ['', false],
  ] as const)('C-ID-4 attribute name %j valid: %s', (name, expected) => {
    expect(isValidAttributeName(name)).toBe(expected);
  });

  const scalars: readonly (readonly [string, JsonValue, ReturnType<typeof toScalarAttribute>])[] = [
    ['string', 'gold', { value: 'gold', type: 'string' }],
    ['integer', 3, { value: 3, type: 'integer' }],
    ['float', 3.5, { value: 3.5, type: 'float' }],
    ['boolean', false, { value: false, type: 'boolean' }],
    ['null clears', null, { value: null, type: undefined }],
    ['ISO date string → seconds', '2024-01-02T03:04:05Z', { value: 1704164645, type: 'date' }],
    ['non-ISO date-like string stays a string', 'Jan 2 2024', { value: 'Jan 2 2024', type: 'string' }],
    ['digits stay a string', '1704164645', { value: '1704164645', type: 'string' }],
    ['object dropped', { a: 1 }, undefined],
    ['array dropped', [1, 2], undefined],
    ['NaN dropped', Number.NaN, undefined],
  ];
  it.each(scalars)('C-ID-4 %s', (_name, input, expected) => {
    expect(toScalarAttribute(input)).toEqual(expected);
  });

  it('C-ID-4 infers integer for whole floats', () => {
    expect(inferAttributeType(2.0)).toBe('integer');
  });

  it('C-ID-4 maps a traits object, dropping excluded keys, nested values and invalid names', () => {
    const result = mapCustomAttributes(
      { email: 'a@example.com', plan: 'pro', seats: 3, address: { city: 'X' }, 'a.b': 1, $x: 2, gone: null },
      new Set(['email']),
      'traits',
    );
    expect(result.attributes).toEqual({ plan: 'pro', seats: 3, gone: null });
    expect(result.types).toEqual({ plan: 'string', seats: 'integer' });
    expect(result.warnings.map((w) => [w.code, w.field])).toEqual([
      ['dropped_nested_value', 'traits.address'],
      ['dropped_invalid_key', 'traits.a.b'],
      ['dropped_invalid_key', 'traits.$x'],
    ]);
  });

  it('C-ID-4 keeps a "__proto__" key as plain data', () => {
    const source = JSON.parse('{"__proto__": "x", "ok": 1}') as Record<string, JsonValue>;
    const result = mapCustomAttributes(source, new Set(), 'traits');
    expect(Object.getPrototypeOf(result.attributes)).toBe(Object.prototype);
    expect(Object.keys(result.attributes)).toEqual(['__proto__', 'ok']);
  });
});
