import { describe, expect, it } from 'vitest';
import { searchContacts } from './contact-search.js';
import { createContact, mergeContacts } from './contact-store.js';
import { createTestStore, value } from './store-fixture.js';

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
