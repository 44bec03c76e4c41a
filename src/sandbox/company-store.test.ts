import { describe, expect, it } from 'vitest';
import {
  attachCompany,
  contactCompanies,
  detachCompany,
  findCompany,
  getCompany,
  upsertCompany,
  userCount,
} from './company-store.js';
import { createContact, mergeContacts } from './contact-store.js';
import { createTestStore, value } from './store-fixture.js';

describe('upsertCompany', () => {
  it('C-GR-1 creates, then updates the same company by company_id', () => {
    const { store, clock } = createTestStore();
    const created = value(upsertCompany(store, { company_id: 'acme', name: 'Acme', plan: 'pro' }));
    clock.advance(2_000);
    const updated = value(upsertCompany(store, { company_id: 'acme', size: 12 }));
    expect(updated).toMatchObject({
      id: created.id,
      name: 'Acme',
      plan: 'pro',
      size: 12,
      updated_at: 1_700_000_002,
    });
    expect(store.companies.size).toBe(1);
  });

  it('C-GR-1 truncates a float monthly_spend like Intercom', () => {
    const { store } = createTestStore();
    expect(value(upsertCompany(store, { company_id: 'acme', monthly_spend: 99.99 })).monthly_spend).toBe(99);
  });

  it.each([
    { name: 'no company_id', body: { name: 'Acme' }, code: 'parameter_invalid' },
    {
      name: 'monthly_spend above 2^31-1',
      body: { company_id: 'a', monthly_spend: 2 ** 31 },
      code: 'parameter_invalid',
    },
    {
      name: 'a missing custom attribute',
      body: { company_id: 'a', custom_attributes: { region: 'emea' } },
      code: 'parameter_invalid',
    },
    {
      name: 'an object custom attribute',
      body: { company_id: 'a', custom_attributes: { tier: { x: 1 } } },
      code: 'parameter_invalid',
    },
  ])('400 for $name', ({ body, code }) => {
    const { store } = createTestStore({}, [['company', 'tier', 'string']]);
    const result = upsertCompany(store, body);
    expect(!result.ok && result.error).toMatchObject({ status: 400, code });
  });

  it('accepts an existing company custom attribute', () => {
    const { store } = createTestStore({}, [['company', 'tier', 'string']]);
    expect(
      value(upsertCompany(store, { company_id: 'a', custom_attributes: { tier: 'gold' } })).custom_attributes,
    ).toEqual({ tier: 'gold' });
  });
});

describe('findCompany, getCompany', () => {
  it('finds by company_id, by name and by Intercom id; 404 company_not_found otherwise', () => {
    const { store } = createTestStore();
    const acme = value(upsertCompany(store, { company_id: 'acme', name: 'Acme' }));
    expect(value(findCompany(store, { companyId: 'acme' })).id).toBe(acme.id);
    expect(value(findCompany(store, { name: 'Acme' })).id).toBe(acme.id);
    expect(value(getCompany(store, acme.id)).company_id).toBe('acme');
    expect(findCompany(store, { companyId: 'nope' })).toEqual({
      ok: false,
      error: { status: 404, code: 'company_not_found', message: 'Company Not Found' },
    });
    expect(getCompany(store, 'acme').ok).toBe(false);
  });
});

describe('attachCompany, detachCompany (C-ID-10, C-ID-11, C-GR-2)', () => {
  function seeded() {
    const t = createTestStore();
    const contact = value(createContact(t.store, { external_id: 'u1' }));
    const acme = value(upsertCompany(t.store, { company_id: 'acme' }));
    const globex = value(upsertCompany(t.store, { company_id: 'globex' }));
    return { ...t, contact, acme, globex };
  }

  it('attaches many companies by Intercom id, once each', () => {
    const { store, contact, acme, globex } = seeded();
    value(attachCompany(store, contact.id, acme.id));
    value(attachCompany(store, contact.id, globex.id));
    value(attachCompany(store, contact.id, acme.id));
    expect(value(contactCompanies(store, contact.id)).map((c) => c.company_id)).toEqual(['acme', 'globex']);
    expect(userCount(store, acme.id)).toBe(1);
  });

  it('404 company_not_found for an unknown company id (a company_id is not an Intercom id)', () => {
    const { store, contact } = seeded();
    const result = attachCompany(store, contact.id, 'acme');
    expect(!result.ok && result.error).toMatchObject({ status: 404, code: 'company_not_found' });
  });

  it('400 parameter_not_found without a company id; 404 for an unknown contact; 410 for a merged one', () => {
    const { store, contact, acme } = seeded();
    expect(attachCompany(store, contact.id, undefined)).toMatchObject({
      ok: false,
      error: { status: 400, code: 'parameter_not_found' },
    });
    expect(attachCompany(store, 'nope', acme.id)).toMatchObject({
      ok: false,
      error: { status: 404, code: 'not_found' },
    });
    const other = value(createContact(store, { external_id: 'u2' }));
    mergeContacts(store, contact.id, other.id);
    expect(attachCompany(store, contact.id, acme.id)).toMatchObject({
      ok: false,
      error: { status: 410, code: 'contact_merged' },
    });
  });

  it('detaches; detaching a company that is not attached succeeds too', () => {
    const { store, contact, acme, globex } = seeded();
    attachCompany(store, contact.id, acme.id);
    expect(value(detachCompany(store, contact.id, acme.id)).id).toBe(acme.id);
    expect(value(contactCompanies(store, contact.id))).toEqual([]);
    expect(detachCompany(store, contact.id, globex.id).ok).toBe(true);
    expect(detachCompany(store, contact.id, 'nope')).toMatchObject({
      ok: false,
      error: { status: 404, code: 'company_not_found' },
    });
  });
});
