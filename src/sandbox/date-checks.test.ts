import { describe, expect, it } from 'vitest';
import { checkDates, dateProblem, isDateNamed } from './date-checks.js';

describe('dateProblem (C-ID-3: every date sent to Intercom is integer Unix seconds)', () => {
  it.each([
    { value: 1_700_000_000, problem: false },
    { value: 0, problem: false },
    { value: null, problem: false },
    { value: undefined, problem: false },
    { value: 99_999_999_999, problem: false },
    { value: 1_700_000_000_000, problem: true },
    { value: '2024-01-01T00:00:00Z', problem: true },
    { value: '1700000000', problem: true },
    { value: 1_700_000_000.5, problem: true },
    { value: true, problem: true },
  ])('$value → problem: $problem', ({ value, problem }) => {
    expect(dateProblem(value) !== undefined).toBe(problem);
  });

  it('names milliseconds in the message', () => {
    expect(dateProblem(1_700_000_000_000)).toMatch(/milliseconds/);
  });
});

describe('isDateNamed', () => {
  it.each([
    ['trial_ends_at', true],
    ['renewal_date', true],
    ['plan', false],
    ['date_of_birth', false],
  ])('%s → %s', (key, expected) => {
    expect(isDateNamed(key)).toBe(expected);
  });
});

describe('checkDates', () => {
  it('C-ID-3 flags an ISO string signed_up_at', () => {
    expect(checkDates({ signed_up_at: '2024-01-01T00:00:00Z' })).toEqual([
      expect.objectContaining({ source: 'semantic', path: '/requestBody/signed_up_at' }),
    ]);
  });

  it.each(['last_seen_at', 'created_at', 'remote_created_at'])('flags milliseconds in %s', (field) => {
    expect(checkDates({ [field]: 1_700_000_000_000 })).toEqual([
      expect.objectContaining({
        path: `/requestBody/${field}`,
        message: expect.stringMatching(/milliseconds/) as unknown,
      }),
    ]);
  });

  it('C-ID-4 flags date-named custom attributes and metadata, not other keys', () => {
    const violations = checkDates({
      custom_attributes: { trial_ends_at: '2024-02-01', plan: '2024-02-01' },
      metadata: { shipped_date: 1_700_000_000_000, order_id: 1_700_000_000_000 },
    });
    expect(violations.map((v) => v.path)).toEqual([
      '/requestBody/custom_attributes/trial_ends_at',
      '/requestBody/metadata/shipped_date',
    ]);
  });

  it('accepts correct seconds everywhere', () => {
    expect(
      checkDates({
        signed_up_at: 1_700_000_000,
        custom_attributes: { paid_at: 1_700_000_000 },
        metadata: { x_date: 1 },
      }),
    ).toEqual([]);
  });

  it('ignores bodies that are not objects', () => {
    expect(checkDates(undefined)).toEqual([]);
    expect(checkDates([1, 2])).toEqual([]);
  });
});
