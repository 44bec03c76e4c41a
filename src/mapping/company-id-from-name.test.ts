import { describe, expect, it } from 'vitest';
import { companyIdFromName } from './company-id-from-name.js';

describe('companyIdFromName (C-ID-9)', () => {
  it.each([
    ['Segment', '2017828326'],
    ['', '5381'],
    ['a', String((5381 * 33) ^ 97)],
  ] as const)('C-ID-9 %j → %s', (name, expected) => {
    expect(companyIdFromName(name)).toBe(expected);
  });

  it('C-ID-9 is an unsigned 32-bit decimal for long and unicode names', () => {
    for (const name of ['x'.repeat(10_000), 'Zoë & Co — 株式会社', '\u{1F600}']) {
      const id = companyIdFromName(name);
      expect(id).toMatch(/^\d+$/);
      expect(Number(id)).toBeLessThan(2 ** 32);
    }
  });

  it('C-ID-9 differs for names that differ by case', () => {
    expect(companyIdFromName('segment')).not.toBe(companyIdFromName('Segment'));
  });
});
