import { describe, expect, it } from 'vitest';
import { contactKey, createMemoryIdCache, type IdCache } from './id-cache.js';
import { DEST, cachedCache, contact, httpError, ok, plan, setup } from './executor-fixture.js';
import type { Operation } from './operations.js';

const EMAIL = 'ann@example.com';
const leadIdentity = { email: EMAIL, lead: true } as const;
const merge: Operation = { kind: 'merge_lead', identity: { externalId: 'u1', email: EMAIL } };
const lead = (id: string) => ({ id, role: 'lead', email: EMAIL });
const emailKey = contactKey(DEST, 'email', EMAIL);

/** An id cache that knows the user u1 as c1, and the email as `emailId` when given. */
async function cacheWith(emailId?: string): Promise<IdCache> {
  const cache = await cachedCache('c1');
  if (emailId !== undefined) await cache.setContactId(emailKey, emailId);
  return cache;
}

describe('executor: leads (C-IDN-5)', () => {
  it('C-IDN-5 creates a contact named by email only as a lead when the plan says so', async () => {
    const { executor, log, idCache } = setup({
      searchContactsByEmail: [ok([])],
      createContact: [ok(lead('l1'))],
    });
    const op: Operation = {
      kind: 'upsert_contact',
      identity: leadIdentity,
      fields: { email: EMAIL, name: 'Ann' },
      attributeTypes: {},
    };
    expect(await executor.execute(plan(op))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['createContact', { email: EMAIL, name: 'Ann', role: 'lead' }]);
    expect(await idCache.getContactId(emailKey)).toBe('l1');
  });

  it("C-IDN-5 sends a lead's event by its Intercom id, without the email", async () => {
    const cache = createMemoryIdCache();
    await cache.setContactId(emailKey, 'l1');
    const { executor, log } = setup({ submitEvent: [ok(undefined)] }, true, cache);
    const op: Operation = {
      kind: 'submit_event',
      identity: leadIdentity,
      event: { event_name: 'Viewed', created_at: 1, email: EMAIL, metadata: { a: 1 } },
    };
    expect(await executor.execute(plan(op))).toMatchObject({ kind: 'delivered', calls: 1 });
    expect(log).toEqual([
      ['submitEvent', { event_name: 'Viewed', created_at: 1, metadata: { a: 1 }, id: 'l1' }],
    ]);
  });

  it('C-IDN-5 C-RACE-2 an event for a lead that does not exist yet fails as User Not Found, creating nothing', async () => {
    const { executor, log } = setup({ searchContactsByEmail: [ok([])] });
    const op: Operation = {
      kind: 'submit_event',
      identity: leadIdentity,
      event: { event_name: 'Viewed', created_at: 1, email: EMAIL },
    };
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({
      kind: 'failed',
      operation: 'submit_event',
      failure: { kind: 'http', status: 404, message: 'User Not Found' },
    });
    expect(log.map((l) => l[0])).toEqual(['searchContactsByEmail']);
  });

  it('C-IDN-5 merges the leads an email search finds into the user, then remembers the email as the user', async () => {
    const { executor, log, idCache } = setup(
      {
        searchContactsByEmail: [ok([contact('c1', 'u1'), lead('l1'), lead('l2'), contact('c7', 'u7')])],
        mergeContacts: [ok(contact('c1', 'u1')), ok(contact('c1', 'u1'))],
      },
      true,
      await cacheWith(),
    );
    expect(await executor.execute(plan(merge))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.slice(1)).toEqual([
      ['mergeContacts', 'l1', 'c1'],
      ['mergeContacts', 'l2', 'c1'],
    ]);
    expect(await idCache.getContactId(emailKey)).toBe('c1');
  });

  it('C-IDN-5 costs no call once the email is remembered as the user', async () => {
    const { executor, log } = setup({}, true, await cacheWith('c1'));
    expect(await executor.execute(plan(merge))).toEqual({ kind: 'delivered', calls: 0, notes: [] });
    expect(log).toEqual([]);
  });

  it('C-IDN-5 merges the lead remembered for the email even when the search does not show it yet', async () => {
    const { executor, log } = setup(
      {
        searchContactsByEmail: [ok([contact('c1', 'u1')])],
        getContact: [ok(lead('l1'))],
        mergeContacts: [ok(contact('c1', 'u1'))],
      },
      true,
      await cacheWith('l1'),
    );
    expect(await executor.execute(plan(merge))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log.map((l) => l[0])).toEqual(['searchContactsByEmail', 'getContact', 'mergeContacts']);
    expect(log[2]).toEqual(['mergeContacts', 'l1', 'c1']);
  });

  it('C-IDN-5 never merges a user: a remembered contact with its own external_id is left alone', async () => {
    const { executor, log, idCache } = setup(
      { searchContactsByEmail: [ok([])], getContact: [ok(contact('c7', 'u7'))] },
      true,
      await cacheWith('c7'),
    );
    expect(await executor.execute(plan(merge))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log.map((l) => l[0])).not.toContain('mergeContacts');
    expect(await idCache.getContactId(emailKey)).toBe('c1');
  });

  it('C-IDN-5 a lead that is gone already (404 or 410) counts as merged, so a retry does no harm', async () => {
    const { executor } = setup(
      {
        searchContactsByEmail: [ok([lead('l1'), lead('l2')])],
        mergeContacts: [
          httpError(404, 'not_found', 'User Not Found'),
          httpError(410, 'contact_merged', 'merged', { link: 'c1' }),
        ],
      },
      true,
      await cacheWith(),
    );
    expect(await executor.execute(plan(merge))).toMatchObject({ kind: 'delivered', calls: 3 });
  });

  it('C-IDN-5 any other answer to the merge fails the operation for the delivery policy to judge', async () => {
    const { executor, idCache } = setup(
      {
        searchContactsByEmail: [ok([lead('l1')])],
        mergeContacts: [
          httpError(400, 'invalid_merge', 'Contacts can only be merged when they are duplicates'),
        ],
      },
      true,
      await cacheWith(),
    );
    expect(await executor.execute(plan(merge))).toMatchObject({
      kind: 'failed',
      operation: 'merge_lead',
      failure: { status: 400, code: 'invalid_merge' },
    });
    expect(await idCache.getContactId(emailKey)).toBeUndefined();
  });
});
