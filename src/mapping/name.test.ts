import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../segment/json.js';
import { fullName } from './name.js';

describe('fullName (C-ID-2)', () => {
  const cases: readonly (readonly [string, JsonObject, string | undefined])[] = [
    ['name wins', { name: 'Ada Lovelace', firstName: 'A', lastName: 'L' }, 'Ada Lovelace'],
    ['first and last joined by one space', { firstName: 'Ada', lastName: 'Lovelace' }, 'Ada Lovelace'],
    ['first only', { firstName: 'Ada' }, 'Ada'],
    ['last only', { lastName: 'Lovelace' }, 'Lovelace'],
    [
      'blank name falls back to first + last',
      { name: '  ', firstName: 'Ada', lastName: 'Lovelace' },
      'Ada Lovelace',
    ],
    ['non-string name ignored', { name: 42, lastName: 'Lovelace' }, 'Lovelace'],
    ['parts are trimmed', { firstName: ' Ada ', lastName: ' Lovelace ' }, 'Ada Lovelace'],
    ['nothing', { email: 'a@example.com' }, undefined],
    ['unicode survives', { firstName: 'Zoë', lastName: '李' }, 'Zoë 李'],
  ];
  it.each(cases)('C-ID-2 %s', (_name, traits, expected) => {
    expect(fullName(traits)).toBe(expected);
  });
});
