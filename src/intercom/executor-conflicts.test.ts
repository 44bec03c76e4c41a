import { describe, expect, it } from 'vitest';
import { IntercomHttpError } from './errors.js';
import { contactKey } from './id-cache.js';
import { DEST, cachedCache, contact, httpError, identify, ok, plan, setup } from './executor-fixture.js';

/** Intercom's 409 to `PUT /contacts/{id}`, naming the contact `id` (archived or not). */
function updateConflict(id: string, archived = false): IntercomHttpError {
  const message = `${archived ? 'An archived contact' : 'A contact'} matching those details already exists with id=${id}`;
  return new IntercomHttpError(
    { status: 409, errors: [{ code: 'conflict', message }] },
    { method: 'PUT', route: '/contacts/{contact_id}' },
  );
}

describe('executor: 409s that name another contact (C-IDN-4)', () => {
  it('C-IDN-4 a 409 naming an archived contact unarchives it, then updates it', async () => {
    const { executor, log, idCache } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [
        httpError(409, 'conflict', 'An archived contact matching those details already exists with id=c9'),
      ],
      unarchiveContact: [ok({ type: 'contact', id: 'c9', external_id: 'u1', archived: false })],
      updateContact: [ok(contact('c9', 'u1'))],
    });
    const outcome = await executor.execute(plan(identify({ name: 'Ann B' })));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 5 });
    expect(outcome.notes).toContain('create answered 409 for archived contact c9: unarchived');
    expect(log.map((l) => l[0])).toEqual([
      'findContactByExternalId',
      'searchContactsByEmail',
      'createContact',
      'unarchiveContact',
      'updateContact',
    ]);
    expect(log[3]).toEqual(['unarchiveContact', 'c9']);
    expect(log[4]).toEqual(['updateContact', 'c9', expect.objectContaining({ name: 'Ann B' })]);
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c9');
  });

  it('C-IDN-4 an unarchived contact without an external_id is adopted: the update sets ours', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [
        httpError(409, 'conflict', 'An archived contact matching those details already exists with id=c9'),
      ],
      unarchiveContact: [ok({ type: 'contact', id: 'c9', archived: false })],
      updateContact: [ok(contact('c9', 'u1'))],
    });
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered' });
    expect(log[4]?.[2]).toMatchObject({ external_id: 'u1', role: 'user' });
  });

  it('C-IDN-4 an archived contact with another external_id is an identity conflict, never updated', async () => {
    const { executor, log } = setup({
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
      createContact: [
        httpError(409, 'conflict', 'An archived contact matching those details already exists with id=c9'),
      ],
      unarchiveContact: [ok({ type: 'contact', id: 'c9', external_id: 'someone-else', archived: false })],
    });
    const outcome = await executor.execute(plan(identify()));
    expect(outcome.kind === 'failed' && outcome.failure).toMatchObject({
      kind: 'identity_conflict',
      contactId: 'c9',
    });
    expect(log.map((l) => l[0])).not.toContain('updateContact');
  });

  it('C-IDN-4 a 409 on an update names the contact that holds our external_id: that one is updated and cached', async () => {
    const { executor, log, idCache } = setup(
      {
        updateContact: [updateConflict('c2'), ok(contact('c2', 'u1'))],
        getContact: [ok(contact('c2', 'u1'))],
      },
      true,
      await cachedCache('c1'),
    );
    const outcome = await executor.execute(plan(identify()));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(outcome.notes).toContain('update answered 409: using existing contact c2');
    expect(log.map((l) => l.slice(0, 2))).toEqual([
      ['updateContact', 'c1'],
      ['getContact', 'c2'],
      ['updateContact', 'c2'],
    ]);
    expect(await idCache.getContactId(contactKey(DEST, 'external_id', 'u1'))).toBe('c2');
  });

  it('C-IDN-4 a 409 on an update naming an archived contact unarchives it and updates it', async () => {
    const { executor, log } = setup(
      {
        updateContact: [updateConflict('c3', true), ok(contact('c3', 'u1'))],
        unarchiveContact: [ok({ type: 'contact', id: 'c3', external_id: 'u1', archived: false })],
      },
      true,
      await cachedCache('c1'),
    );
    expect(await executor.execute(plan(identify()))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.map((l) => l.slice(0, 2))).toEqual([
      ['updateContact', 'c1'],
      ['unarchiveContact', 'c3'],
      ['updateContact', 'c3'],
    ]);
  });

  it('C-IDN-4 a second 409 on the update is not chased: the attempt fails and the policy decides', async () => {
    const { executor } = setup(
      {
        updateContact: [updateConflict('c2'), updateConflict('c4')],
        getContact: [ok(contact('c2', 'u1'))],
      },
      true,
      await cachedCache('c1'),
    );
    const outcome = await executor.execute(plan(identify()));
    expect(outcome.kind === 'failed' && outcome.failure).toMatchObject({ kind: 'http', status: 409 });
  });
});
