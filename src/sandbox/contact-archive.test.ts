import { describe, expect, it } from 'vitest';
import { archiveContact, unarchiveContact } from './contact-archive.js';
import { searchContacts } from './contact-search.js';
import {
  createContact,
  findContactByExternalId,
  findEventContact,
  getContact,
  mergeContacts,
  updateContact,
} from './contact-store.js';
import { createTestStore, value } from './store-fixture.js';

const byEmail = (email: string) => ({ query: { field: 'email', operator: '=', value: email } });

describe('who counts as a duplicate (C-IDN-2, intercom-api.md §4.8a)', () => {
  it('C-IDN-2 two users with different external_ids may share an email', () => {
    const { store } = createTestStore();
    const first = value(
      createContact(store, { role: 'user', external_id: 'u-42', email: 'grace@example.com' }),
    );
    const second = value(
      createContact(store, { role: 'user', external_id: 'grace', email: 'Grace@Example.com' }),
    );
    expect(second.id).not.toBe(first.id);
    const found = value(searchContacts(store, byEmail('grace@example.com'))).data.map((c) => c.external_id);
    expect(found).toEqual(['u-42', 'grace']);
  });

  it('C-IDN-2 a user without an external_id conflicts with any user of its email', () => {
    const { store } = createTestStore();
    const first = value(
      createContact(store, { role: 'user', external_id: 'u-42', email: 'grace@example.com' }),
    );
    const result = createContact(store, { role: 'user', email: 'grace@example.com' });
    expect(!result.ok && result.error).toEqual({
      status: 409,
      code: 'conflict',
      message: `A contact matching those details already exists with id=${first.id}`,
    });
  });

  it('C-IDN-2 an update that gives a contact an email another user has is allowed when it has an external_id', () => {
    const { store } = createTestStore();
    createContact(store, { role: 'user', external_id: 'a', email: 'shared@example.com' });
    const b = value(createContact(store, { role: 'user', external_id: 'b' }));
    expect(value(updateContact(store, b.id, { email: 'shared@example.com' })).email).toBe(
      'shared@example.com',
    );
  });
});

describe('archived contacts (C-IDN-4)', () => {
  it('C-IDN-4 a create with the external_id of an archived contact answers 409 with the archived message', () => {
    const { store } = createTestStore();
    const first = value(createContact(store, { role: 'user', external_id: 'u1', email: 'a@example.com' }));
    expect(value(archiveContact(store, first.id)).archived).toBe(true);
    const result = createContact(store, { role: 'user', external_id: 'u1' });
    expect(!result.ok && result.error).toEqual({
      status: 409,
      code: 'conflict',
      message: `An archived contact matching those details already exists with id=${first.id}`,
    });
  });

  it('C-IDN-4 an email-only create names an archived user of that email only when no live one has it', () => {
    const { store } = createTestStore();
    const archived = value(
      createContact(store, { role: 'user', external_id: 'old', email: 'a@example.com' }),
    );
    archiveContact(store, archived.id);
    const first = createContact(store, { role: 'user', email: 'a@example.com' });
    expect(!first.ok && first.error.message).toBe(
      `An archived contact matching those details already exists with id=${archived.id}`,
    );
    const live = value(createContact(store, { role: 'user', external_id: 'new', email: 'a@example.com' }));
    const second = createContact(store, { role: 'user', email: 'a@example.com' });
    expect(!second.ok && second.error.message).toBe(
      `A contact matching those details already exists with id=${live.id}`,
    );
  });

  it('C-IDN-4 archived contacts are hidden from find_by_external_id, search, id lookups and events', () => {
    const { store } = createTestStore();
    const contact = value(createContact(store, { role: 'user', external_id: 'u1', email: 'a@example.com' }));
    archiveContact(store, contact.id);
    expect(findContactByExternalId(store, 'u1').ok).toBe(false);
    expect(value(searchContacts(store, byEmail('a@example.com'))).data).toEqual([]);
    expect(getContact(store, contact.id).ok).toBe(false);
    expect(updateContact(store, contact.id, { name: 'x' }).ok).toBe(false);
    expect(findEventContact(store, { userId: 'u1' })).toBeUndefined();
    expect(findEventContact(store, { id: contact.id })).toBeUndefined();
  });

  it('C-IDN-4 unarchive brings the contact back with what it held; twice is harmless', () => {
    const { store, clock } = createTestStore();
    const contact = value(createContact(store, { role: 'user', external_id: 'u1', name: 'Ann' }));
    archiveContact(store, contact.id);
    clock.advance(2_000);
    expect(value(unarchiveContact(store, contact.id))).toMatchObject({
      id: contact.id,
      external_id: 'u1',
      archived: false,
      updated_at: 1_700_000_002,
    });
    expect(value(unarchiveContact(store, contact.id)).archived).toBe(false);
    expect(value(findContactByExternalId(store, 'u1'))).toMatchObject({ id: contact.id, name: 'Ann' });
  });

  it('404 for an unknown contact; a merged contact is not restorable', () => {
    const { store } = createTestStore();
    expect(!unarchiveContact(store, 'nope').ok && unarchiveContact(store, 'nope')).toMatchObject({
      error: { status: 404, code: 'not_found' },
    });
    const from = value(createContact(store, { role: 'user', external_id: 'a' }));
    const into = value(createContact(store, { role: 'user', external_id: 'b' }));
    mergeContacts(store, from.id, into.id);
    expect(unarchiveContact(store, from.id)).toEqual({
      ok: false,
      error: { status: 400, code: 'bad_request', message: 'User has been merged and is not restorable.' },
    });
  });
});
