import { describe, expect, it } from 'vitest';
import {
  createContact,
  findContactByExternalId,
  getContact,
  mergeContacts,
  updateContact,
} from './contact-store.js';
import { createTestStore, value } from './store-fixture.js';

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
