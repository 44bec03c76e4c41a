import { describe, expect, it } from 'vitest';
import { semanticViolations } from './semantic-checks.js';

describe('semanticViolations', () => {
  it('C-ID-4 reports a nested object in custom_attributes', () => {
    expect(semanticViolations({ custom_attributes: { address: { city: 'Paris' } } })).toEqual([
      expect.objectContaining({
        source: 'semantic',
        path: '/requestBody/custom_attributes/address',
        message: expect.stringMatching(/an object/) as unknown,
      }),
    ]);
  });

  it('C-ID-4 reports an array in custom_attributes', () => {
    expect(semanticViolations({ custom_attributes: { tags: ['a'] } })[0]?.message).toMatch(/an array/);
  });

  it('C-ID-4 reports attribute names with . or $', () => {
    expect(semanticViolations({ custom_attributes: { 'a.b': 1, $c: 2 } })).toHaveLength(2);
  });

  it('accepts scalar and null custom attributes', () => {
    expect(
      semanticViolations({ custom_attributes: { plan: 'pro', seats: 3, beta: true, gone: null } }),
    ).toEqual([]);
  });

  it('includes the date checks', () => {
    expect(semanticViolations({ signed_up_at: '2024-01-01' })).toHaveLength(1);
  });
});
