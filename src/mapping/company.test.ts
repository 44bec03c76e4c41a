import { describe, expect, it } from 'vitest';
import { companyFromName, companyIdOf, mapCompany, toIntercomInteger } from './company.js';

describe('company fields (C-ID-9, C-ID-10, C-GR-1)', () => {
  it('C-ID-9 a name-only company is hashed', () => {
    expect(companyFromName('Segment')).toEqual({ company_id: '2017828326', name: 'Segment' });
  });

  it.each([
    ['id wins', { id: 'a', company_id: 'b', companyId: 'c', name: 'Segment' }, 'a'],
    ['company_id next', { company_id: 'b', companyId: 'c' }, 'b'],
    ['companyId next', { companyId: 'c', name: 'Segment' }, 'c'],
    ['numeric id as text', { id: 42 }, '42'],
    ['name hash last', { name: 'Segment' }, '2017828326'],
    ['blank id ignored', { id: ' ', name: 'Segment' }, '2017828326'],
    ['nothing', { plan: 'pro' }, undefined],
  ] as const)('C-ID-10 company id: %s', (_name, obj, expected) => {
    expect(companyIdOf(obj)).toBe(expected);
  });

  it.each([
    [12.9, 12],
    [-3.7, -3],
    ['100', 100],
    ['99.99', 99],
    ['ten', undefined],
    [2 ** 31, undefined],
    [true, undefined],
  ] as const)('C-GR-1 monthly_spend %j → %j', (input, expected) => {
    expect(toIntercomInteger(input)).toBe(expected);
  });

  it('C-ID-10 maps every standard field and keeps other scalars as custom attributes', () => {
    const result = mapCompany(
      {
        id: 'c1',
        name: 'Acme',
        plan: 'enterprise',
        monthlySpend: 99.9,
        employees: 12,
        website: 'https://acme.example',
        industry: 'Rockets',
        createdAt: '2024-01-02T00:00:00Z',
        tier: 'gold',
        tags: ['x'],
      },
      { field: 'traits.company' },
    );
    expect(result).toEqual({
      kind: 'company',
      remove: false,
      company: {
        company_id: 'c1',
        name: 'Acme',
        plan: 'enterprise',
        monthly_spend: 99,
        size: 12,
        website: 'https://acme.example',
        industry: 'Rockets',
        remote_created_at: 1704153600,
        custom_attributes: { tier: 'gold' },
      },
      attributeTypes: { tier: 'string' },
      warnings: [
        { code: 'dropped_nested_value', field: 'traits.company.tags', detail: expect.any(String) as string },
      ],
    });
  });

  it('C-GR-1 a given company id wins over the object', () => {
    const result = mapCompany({ id: 'other', name: 'Acme' }, { companyId: 'g1', field: 'traits' });
    expect(result.kind === 'company' ? result.company.company_id : undefined).toBe('g1');
  });

  it('C-ID-10 skips a company without any id or name', () => {
    expect(mapCompany({ plan: 'pro' }, { field: 'traits.companies[0]' })).toEqual({
      kind: 'skip',
      warning: {
        code: 'skipped_company',
        field: 'traits.companies[0]',
        detail: expect.any(String) as string,
      },
    });
  });

  it('C-ID-11 flags remove: true', () => {
    const result = mapCompany({ id: 'c1', remove: true }, { field: 'traits.company' });
    expect(result.kind === 'company' && result.remove).toBe(true);
  });

  it('C-ID-10 warns about an unparseable created date', () => {
    const result = mapCompany({ id: 'c1', createdAt: 'soon' }, { field: 'traits.company' });
    expect(result.kind === 'company' ? result.warnings.map((w) => w.code) : []).toEqual(['invalid_date']);
  });
});
