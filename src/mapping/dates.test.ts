import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../segment/json.js';
import { dateStringToUnixSeconds, isIsoDateString, numberToUnixSeconds, toUnixSeconds } from './dates.js';

describe('toUnixSeconds (C-ID-3)', () => {
  const cases: readonly (readonly [string, JsonValue | undefined, number | undefined])[] = [
    ['ISO date-time with Z', '2024-01-02T03:04:05Z', 1704164645],
    ['ISO date-time with milliseconds', '2024-01-02T03:04:05.999Z', 1704164645],
    ['ISO date-time with offset', '2024-01-02T05:04:05+02:00', 1704164645],
    ['ISO date only (UTC midnight)', '2024-01-02', 1704153600],
    ['seconds as a number', 1704164645, 1704164645],
    ['fractional seconds are floored', 1704164645.9, 1704164645],
    ['milliseconds as a number', 1704164645123, 1704164645],
    ['10^11 - 1 is still seconds', 99999999999, 99999999999],
    ['10^11 is milliseconds', 100000000000, 100000000],
    ['zero is the epoch', 0, 0],
    ['negative seconds (before 1970)', -86400, -86400],
    ['seconds as a digits-only string', '1704164645', 1704164645],
    ['milliseconds as a digits-only string', '1704164645123', 1704164645],
    ['RFC 2822 string JS can parse', 'Tue, 02 Jan 2024 03:04:05 GMT', 1704164645],
    ['string without a year is not a date', 'abc 1', undefined],
    ['a bare small number string is seconds, not a year', '12', 12],
    ['blank string', '   ', undefined],
    ['impossible month', '2024-13-01', undefined],
    ['garbage', 'not a date', undefined],
    ['boolean', true, undefined],
    ['null', null, undefined],
    ['undefined', undefined, undefined],
    ['object', { seconds: 1 }, undefined],
    ['array', [1704164645], undefined],
    ['NaN', Number.NaN, undefined],
    ['Infinity', Number.POSITIVE_INFINITY, undefined],
    ['beyond the Date range (ms)', 8.64e15 + 1, undefined],
    ['last representable millisecond', 8.64e15, 8.64e12],
  ];
  it.each(cases)('C-ID-3 %s', (_name, input, expected) => {
    expect(toUnixSeconds(input)).toBe(expected);
  });

  it('C-ID-3 always returns an integer', () => {
    for (const value of [1.5, 1704164645123.7, '2024-01-02T03:04:05.5Z', -0.5]) {
      const seconds = toUnixSeconds(value);
      expect(Number.isInteger(seconds)).toBe(true);
    }
  });
});

describe('isIsoDateString', () => {
  it.each([
    ['2024-01-02', true],
    ['2024-01-02T03:04Z', true],
    ['2024-01-02 03:04:05', true],
    ['2024-02-30', false],
    ['2024-1-2', false],
    ['20240102', false],
    ['hello 2024-01-02', false],
  ] as const)('%s → %s', (input, expected) => {
    expect(isIsoDateString(input)).toBe(expected);
  });
});

describe('numberToUnixSeconds and dateStringToUnixSeconds', () => {
  it('C-ID-3 treats -0 as 0', () => {
    expect(Object.is(numberToUnixSeconds(-0), 0)).toBe(true);
  });
  it('C-ID-3 trims strings', () => {
    expect(dateStringToUnixSeconds(' 2024-01-02 ')).toBe(1704153600);
  });
});
