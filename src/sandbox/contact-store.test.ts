import { describe, expect, it } from 'vitest';
import { searchContacts } from './contact-search.js';
import {
  createContact,
  findContactByExternalId,
  getContact,
  mergeContacts,
  updateContact,
} from './contact-store.js';
import type { Result } from './api-result.js';
import { createTestStore } from './store-fixture.js';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new TypeError(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('createContact', () => {
  it('creates a user with dates in seconds from the clock', () => {
    const { store } = createTestStore();
    const contact = value(
      createContact(store, {
        role: 'user',
        external_id: 'u1',
        email: 'a@example.com',
        signed_up_at: 1_600_000_000,
      }),
    );
    expect(contact).toMatchObject({
      role: 'user',
      external_id: 'u1',
      email: 'a@example.com',
      signed_up_at: 1_600_000_000,
      created_at: 1_700_000_000,
    });
    expect(contact.id).toMatch(/^[0-9a-f]{24}$/);
  });

  it('creates a lead', () => {
    const { store } = createTestStore();
    expect(value(createContact(store, { role: 'lead', email: 'l@example.com' })).role).toBe('lead');
  });

  it('defaults role to user', () => {
    const { store } = createTestStore();
    expect(value(createContact(store, { external_id: 'u1' })).role).toBe('user');
  });

  it.each([
    { name: 'no email, external_id or role', body: {}, code: 'parameter_invalid' },
    { name: 'an unknown role', body: { role: 'admin' }, code: 'parameter_invalid' },
    {
      name: 'a custom attribute that does not exist',
      body: { role: 'user', custom_attributes: { plan: 'pro' } },
      code: 'parameter_invalid',
    },
  ])('400 for $name', ({ body, code }) => {
    const { store } = createTestStore();
    const result = createContact(store, body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ status: 400, code });
  });

  it('C-IDN-2 409 conflict with the existing id on a duplicate external_id', () => {
    const { store } = createTestStore();
    const first = value(createContact(store, { external_id: 'u1' }));
    const second = createContact(store, { external_id: 'u1', email: 'other@example.com' });
    expect(second).toEqual({
      ok: false,
      error: {
        status: 409,
        code: 'conflict',
        message: `A contact matching those details already exists with id=${first.id}`,
      },
    });
  });

  it('C-IDN-2 409 on a duplicate user email, compared without case', () => {
    const { store } = createTestStore();
    const first = value(createContact(store, { role: 'user', email: 'Ada@Example.com' }));
    const second = createContact(store, { role: 'user', email: 'ada@example.com' });
    expect(!second.ok && second.error.message).toBe(
      `A contact matching those details already exists with id=${first.id}`,
    );
  });

  it('allows a lead with the email of a user', () => {
    const { store } = createTestStore();
    createContact(store, { role: 'user', email: 'a@example.com' });
    expect(createContact(store, { role: 'lead', email: 'a@example.com' }).ok).toBe(true);
  });
});

describe('updateContact, getContact, findContactByExternalId', () => {
  it('updates given fields, keeps others, merges custom attributes, null clears', () => {
    const { store, clock } = createTestStore({}, [
      ['contact', 'plan', 'string'],
      ['contact', 'seats', 'integer'],
    ]);
    const created = value(
      createContact(store, {
        external_id: 'u1',
        name: 'Ada',
        phone: '1',
        custom_attributes: { plan: 'free', seats: 1 },
      }),
    );
    clock.advance(5_000);
    const updated = value(
      updateContact(store, created.id, { name: 'Ada L', phone: null, custom_attributes: { plan: 'pro' } }),
    );
    expect(updated).toMatchObject({
      external_id: 'u1',
      name: 'Ada L',
      phone: null,
      custom_attributes: { plan: 'pro', seats: 1 },
      updated_at: 1_700_000_005,
    });
    expect(value(getContact(store, created.id)).name).toBe('Ada L');
  });

  it('404 User Not Found for an unknown id', () => {
    const { store } = createTestStore();
    expect(getContact(store, 'nope')).toEqual({
      ok: false,
      error: { status: 404, code: 'not_found', message: 'User Not Found' },
    });
    expect(updateContact(store, 'nope', { name: 'x' }).ok).toBe(false);
  });

  it('409 when an update takes another contact external_id', () => {
    const { store } = createTestStore();
    const a = value(createContact(store, { external_id: 'a' }));
    const b = value(createContact(store, { external_id: 'b' }));
    const result = updateContact(store, b.id, { external_id: 'a' });
    expect(!result.ok && result.error).toMatchObject({
      status: 409,
      message: `A contact matching those details already exists with id=${a.id}`,
    });
  });

  it('finds users by external id, not leads', () => {
    const { store } = createTestStore();
    const user = value(createContact(store, { role: 'user', external_id: 'u1' }));
    createContact(store, { role: 'lead', external_id: 'l1' });
    expect(value(findContactByExternalId(store, 'u1')).id).toBe(user.id);
    expect(findContactByExternalId(store, 'l1').ok).toBe(false);
  });
});

describe('mergeContacts (C-IDN-2: 410 contact_merged with a Link header)', () => {
  it('answers 410 with the canonical contact for get, update and find_by_external_id', () => {
    const { store } = createTestStore();
    const from = value(createContact(store, { role: 'user', external_id: 'old' }));
    const into = value(createContact(store, { role: 'user', external_id: 'new' }));
    expect(mergeContacts(store, from.id, into.id).ok).toBe(true);
    const expected = {
      status: 410,
      code: 'contact_merged',
      headers: { link: `</contacts/${into.id}>; rel="canonical"` },
    };
    for (const result of [
      getContact(store, from.id),
      updateContact(store, from.id, { name: 'x' }),
      findContactByExternalId(store, 'old'),
    ]) {
      expect(!result.ok && result.error).toMatchObject(expected);
    }
  });

  it('follows a chain of merges to the final contact', () => {
    const { store } = createTestStore();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => value(createContact(store, { external_id: id })));
    mergeContacts(store, a!.id, b!.id);
    mergeContacts(store, b!.id, c!.id);
    const result = getContact(store, a!.id);
    expect(!result.ok && result.error.headers).toEqual({ link: `</contacts/${c!.id}>; rel="canonical"` });
  });

  it('refuses to merge unknown or already merged contacts', () => {
    const { store } = createTestStore();
    const a = value(createContact(store, { external_id: 'a' }));
    const b = value(createContact(store, { external_id: 'b' }));
    expect(mergeContacts(store, a.id, 'nope').ok).toBe(false);
    expect(mergeContacts(store, a.id, a.id).ok).toBe(false);
    mergeContacts(store, a.id, b.id);
    expect(mergeContacts(store, a.id, b.id).ok).toBe(false);
  });
});

describe('searchContacts', () => {
  const query = (field: string, operator: string, v: unknown) => ({ query: { field, operator, value: v } });

  function seeded() {
    const t = createTestStore();
    const ada = value(
      createContact(t.store, { role: 'user', external_id: 'u1', email: 'ada@example.com', name: 'Ada' }),
    );
    const bob = value(
      createContact(t.store, { role: 'user', external_id: 'u2', email: 'bob@example.org', name: 'Bob' }),
    );
    const lead = value(createContact(t.store, { role: 'lead', email: 'ada@example.com' }));
    return { ...t, ada, bob, lead };
  }

  it.each([
    { name: 'external_id =', body: query('external_id', '=', 'u1'), ids: ['ada'] },
    {
      name: 'email = (case-insensitive)',
      body: query('email', '=', 'ADA@example.com'),
      ids: ['ada', 'lead'],
    },
    {
      name: 'AND of email and role',
      body: {
        query: {
          operator: 'AND',
          value: [
            { field: 'email', operator: '=', value: 'ada@example.com' },
            { field: 'role', operator: '=', value: 'user' },
          ],
        },
      },
      ids: ['ada'],
    },
    {
      name: 'OR of two external ids',
      body: {
        query: {
          operator: 'OR',
          value: [
            { field: 'external_id', operator: '=', value: 'u1' },
            { field: 'external_id', operator: '=', value: 'u2' },
          ],
        },
      },
      ids: ['ada', 'bob'],
    },
    { name: 'IN', body: query('external_id', 'IN', ['u2', 'zz']), ids: ['bob'] },
    { name: '!=', body: query('role', '!=', 'user'), ids: ['lead'] },
    { name: 'ends with', body: query('email', '$', '.org'), ids: ['bob'] },
    { name: 'no match', body: query('external_id', '=', 'nobody'), ids: [] },
  ])('$name', ({ body, ids }) => {
    const t = seeded();
    const byName: Record<string, string> = { ada: t.ada.id, bob: t.bob.id, lead: t.lead.id };
    const page = value(searchContacts(t.store, body));
    expect(page.data.map((c) => c.id)).toEqual(ids.map((n) => byName[n]));
    expect(page.total_count).toBe(ids.length);
  });

  it.each([
    { name: 'an unknown operator', body: query('email', '%%', 'x') },
    { name: 'a query that is not an object', body: { query: 'email=x' } },
    {
      name: 'more than 2 levels of nesting',
      body: {
        query: {
          operator: 'AND',
          value: [{ operator: 'OR', value: [{ operator: 'AND', value: [query('email', '=', 'x').query] }] }],
        },
      },
    },
  ])('400 parameter_invalid for $name', ({ body }) => {
    const { store } = seeded();
    const result = searchContacts(store, body);
    expect(!result.ok && result.error).toMatchObject({ status: 400, code: 'parameter_invalid' });
  });

  it('C-IDN-2 search lag: a new contact is not searchable until searchLagMs has passed', () => {
    const { store, clock } = createTestStore({ searchLagMs: 60_000 });
    createContact(store, { external_id: 'u1' });
    expect(value(searchContacts(store, query('external_id', '=', 'u1'))).total_count).toBe(0);
    clock.advance(59_999);
    expect(value(searchContacts(store, query('external_id', '=', 'u1'))).total_count).toBe(0);
    clock.advance(1);
    expect(value(searchContacts(store, query('external_id', '=', 'u1'))).total_count).toBe(1);
  });

  it('excludes merged-away contacts', () => {
    const t = seeded();
    mergeContacts(t.store, t.lead.id, t.ada.id);
    expect(
      value(searchContacts(t.store, query('email', '=', 'ada@example.com'))).data.map((c) => c.id),
    ).toEqual([t.ada.id]);
  });

  it('pages with per_page and starting_after', () => {
    const t = seeded();
    const first = value(
      searchContacts(t.store, { ...query('role', 'IN', ['user', 'lead']), pagination: { per_page: 2 } }),
    );
    expect(first.data).toHaveLength(2);
    expect(first.total_count).toBe(3);
    const next = first.pages['next'] as { starting_after: string };
    const second = value(
      searchContacts(t.store, {
        ...query('role', 'IN', ['user', 'lead']),
        pagination: { per_page: 2, starting_after: next.starting_after },
      }),
    );
    expect(second.data.map((c) => c.id)).toEqual([t.lead.id]);
    expect(second.pages['next']).toBeUndefined();
  });
});
