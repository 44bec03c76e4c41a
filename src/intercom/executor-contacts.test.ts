import { describe, expect, it } from 'vitest';
import { contactKey } from './id-cache.js';
import {
  DEST,
  cachedCache,
  contact,
  httpError,
  identify,
  identity,
  ok,
  plan,
  setup,
} from './executor-fixture.js';
import type { Operation } from './operations.js';

describe('executor: contact resolution (C-IDN-2, C-IDN-3)', () => {
  it('C-IDN-2 creates a user when lookups find nothing, then caches the id', async () => {
    const { executor, log, idCache } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [ok(contact('c9', 'u1'))],
    });
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.map((l) => l[0])).toEqual([
      'findContactByExternalId',
      'searchContactsByEmail',
      'createContact',
    ]);
    expect(log[2]?.[1]).toEqual({ external_id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'user' });
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c9');
  });

  it('C-IDN-3 an identify of a cached user is a single PUT', async () => {
    const { executor, log } = setup({ updateContact: [ok(contact('c1', 'u1'))] }, true, await cachedCache());
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toEqual({ kind: 'delivered', calls: 1, notes: [] });
    expect(log).toEqual([
      ['updateContact', 'c1', { external_id: 'u1', email: 'ann@example.com', name: 'Ann' }],
    ]);
  });

  it('C-IDN-2 updates the contact found by external id and caches it', async () => {
    const { executor, log, idCache } = setup({
      findContactByExternalId: [ok(contact('c2', 'u1'))],
      updateContact: [ok(contact('c2', 'u1'))],
    });
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]?.[1]).toBe('c2');
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c2');
  });

  it('C-IDN-2 adopts a Messenger lead found by email: sets our external_id and role user', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([{ id: 'lead1', role: 'lead', email: 'ann@example.com' }])],
      updateContact: [ok(contact('lead1', 'u1'))],
    });
    const op: Operation = { kind: 'upsert_contact', identity, fields: { name: 'Ann' }, attributeTypes: {} };
    expect(await executor.execute(plan(op))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log[2]).toEqual(['updateContact', 'lead1', { name: 'Ann', external_id: 'u1', role: 'user' }]);
  });

  it('C-IDN-2 never overwrites a different external_id: creates a new contact instead', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([contact('other', 'someone-else')])],
      createContact: [ok(contact('c3', 'u1'))],
    });
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.map((l) => l[0])).not.toContain('updateContact');
  });

  it('issue #5 row 409: C-IDN-2 a 409 on create updates the contact named in the message', async () => {
    const { executor, log, idCache } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [
        httpError(409, 'conflict', 'A contact matching those details already exists with id=c4'),
      ],
      getContact: [ok(contact('c4', 'u1'))],
      updateContact: [ok(contact('c4', 'u1'))],
    });
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 5 });
    expect(outcome.notes).toContain('create answered 409: using existing contact c4');
    expect(log[4]?.slice(0, 2)).toEqual(['updateContact', 'c4']);
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c4');
  });

  it('C-IDN-4 a 409 naming a contact with another external_id fails as an identity conflict instead of overwriting it', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [
        httpError(409, 'conflict', 'A contact matching those details already exists with id=c5'),
      ],
      getContact: [ok(contact('c5', 'someone-else'))],
    });
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'upsert_contact', calls: 4 });
    expect(outcome.kind === 'failed' && outcome.failure).toEqual({
      kind: 'identity_conflict',
      status: 409,
      contactId: 'c5',
      message: 'X /x answered 409 naming contact c5, which has another external_id',
    });
    expect(log.map((l) => l[0])).not.toContain('updateContact');
  });

  it('issue #5 row 410: C-IDN-2 follows a 410 Link from a cached id and caches the canonical id', async () => {
    const { executor, log, idCache } = setup(
      {
        updateContact: [httpError(410, 'contact_merged', 'merged', { link: 'c7' }), ok(contact('c7', 'u1'))],
      },
      true,
      await cachedCache('c6'),
    );
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 2, notes: ['followed merged contact to c7'] });
    expect(log.map((l) => l[1])).toEqual(['c6', 'c7']);
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c7');
  });

  it('issue #5 row 410: C-IDN-2 follows a 410 from find_by_external_id', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [httpError(410, 'contact_merged', 'merged', { link: 'c8' })],
      updateContact: [ok(contact('c8', 'u1'))],
    });
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]?.slice(0, 2)).toEqual(['updateContact', 'c8']);
  });

  it('issue #5 row 404-cached-id: C-IDN-2 a 404 on a cached id drops the entry and resolves again', async () => {
    const { executor, log, idCache } = setup(
      {
        updateContact: [httpError(404, 'not_found', 'User Not Found'), ok(contact('c10', 'u1'))],
        findContactByExternalId: [ok(contact('c10', 'u1'))],
      },
      true,
      await cachedCache('gone'),
    );
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.map((l) => [l[0], l[1]])).toEqual([
      ['updateContact', 'gone'],
      ['findContactByExternalId', 'u1'],
      ['updateContact', 'c10'],
    ]);
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c10');
  });

  it('C-IDN-1 an email-only identity is searched and cached by lower-cased email', async () => {
    const { executor, log, idCache } = setup({
      searchContactsByEmail: [ok([contact('c11', 'x')])],
      updateContact: [ok(contact('c11', 'x'))],
    });
    const op: Operation = {
      kind: 'upsert_contact',
      identity: { email: 'Ann@Example.com' },
      fields: { name: 'Ann' },
      attributeTypes: {},
    };
    expect(await executor.execute(plan(op))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['updateContact', 'c11', { name: 'Ann' }]);
    expect(await idCache.getContactId(contactKey(DEST, 'email', 'ann@example.com'))).toBe('c11');
  });
});
