/**
 * The executor over the real client on loopback against the sandbox: plans carried out as Intercom
 * calls, with the sandbox validating every request against Intercom's OpenAPI 2.16 description.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntercomClient } from '../src/intercom/client.js';
import { createExecutor } from '../src/intercom/executor.js';
import { contactKey, createMemoryIdCache } from '../src/intercom/id-cache.js';
import type { ContactFields, ContactIdentity, DeliverPlan, Operation } from '../src/intercom/operations.js';
import { TOKEN, loopbackSandboxes } from './loopback-sandbox-fixture.js';

const { prepare, start, closeAll } = loopbackSandboxes();
beforeAll(prepare);
afterAll(closeAll);

describe('executor against the sandbox', () => {
  it('C-IDN-2/C-IDN-3 identify creates, then a cached identify is one PUT; group and track deliver', async () => {
    const { sandbox, baseUrl } = await start();
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const idCache = createMemoryIdCache();
    const executor = createExecutor({ client, idCache, destinationId: 'd1', createMissingAttributes: true });
    const identity = { externalId: 'user-9', email: 'bea@example.com' };
    const identify = {
      kind: 'upsert_contact' as const,
      identity,
      fields: {
        external_id: 'user-9',
        email: 'bea@example.com',
        name: 'Bea',
        custom_attributes: { seats: 4 },
      },
      attributeTypes: { seats: 'integer' as const },
    };

    const first = await executor.execute({ kind: 'deliver', operations: [identify], warnings: [] });
    expect(first).toMatchObject({
      kind: 'delivered',
      notes: expect.arrayContaining(['created data attribute contact.seats (integer)']),
    });
    const second = await executor.execute({ kind: 'deliver', operations: [identify], warnings: [] });
    expect(second).toMatchObject({ kind: 'delivered', calls: 1 });
    expect(second.rateLimit?.limit).toBe(1000);

    const group = await executor.execute({
      kind: 'deliver',
      operations: [
        { kind: 'upsert_company', company: { company_id: 'g-1', name: 'Beacon' }, attributeTypes: {} },
        { kind: 'attach_company', identity, companyId: 'g-1' },
      ],
      warnings: [],
    });
    expect(group).toMatchObject({ kind: 'delivered', calls: 2 });
    const track = await executor.execute({
      kind: 'deliver',
      operations: [
        {
          kind: 'submit_event',
          identity,
          event: { event_name: 'signed-in', created_at: 1764355800, user_id: 'user-9' },
        },
      ],
      warnings: [],
    });
    expect(track).toMatchObject({ kind: 'delivered', calls: 1 });

    const state = sandbox.state();
    expect(state.contacts).toHaveLength(1);
    expect(state.contacts[0]).toMatchObject({
      external_id: 'user-9',
      name: 'Bea',
      custom_attributes: { seats: 4 },
    });
    expect(state.attachments).toHaveLength(1);
    expect(state.events).toHaveLength(1);
    expect(await idCache.getContactId(contactKey('d1', 'external_id', 'user-9'))).toBe(state.contacts[0]?.id);
    expect(sandbox.violations()).toEqual([]);
  });

  it('C-IDN-2 follows a merge: the cached id answers 410 and the canonical contact is updated', async () => {
    const { sandbox, baseUrl } = await start();
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const from = (await client.createContact({ role: 'user', external_id: 'm-old' })).value.id;
    const into = (await client.createContact({ role: 'user', external_id: 'm-new' })).value.id;
    const idCache = createMemoryIdCache();
    await idCache.setContactId(contactKey('d1', 'external_id', 'm-old'), from);
    await fetch(`${baseUrl}/sandbox/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, into }),
    });
    const executor = createExecutor({ client, idCache, destinationId: 'd1', createMissingAttributes: false });
    const outcome = await executor.execute({
      kind: 'deliver',
      operations: [
        {
          kind: 'upsert_contact',
          identity: { externalId: 'm-old' },
          fields: { name: 'Merged' },
          attributeTypes: {},
        },
      ],
      warnings: [],
    });
    expect(outcome).toMatchObject({
      kind: 'delivered',
      calls: 2,
      notes: [`followed merged contact to ${into}`],
    });
    expect(sandbox.state().contacts.find((c) => c.id === into)).toMatchObject({ name: 'Merged' });
    expect(await idCache.getContactId(contactKey('d1', 'external_id', 'm-old'))).toBe(into);
  });
  it('C-IDN-2 a 409 on create (search lag) for an email-only identity updates the existing user', async () => {
    const { sandbox, baseUrl } = await start({ searchLagMs: 60_000 });
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const existing = (await client.createContact({ role: 'user', email: 'cy@example.com' })).value.id;
    const executor = createExecutor({
      client,
      idCache: createMemoryIdCache(),
      destinationId: 'd1',
      createMissingAttributes: true,
    });
    const outcome = await executor.execute(
      deliver(upsert({ email: 'cy@example.com' }, { email: 'cy@example.com', name: 'Cy' })),
    );
    // The search does not see the new user yet; the create's 409 names it (a user with that email).
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(outcome.notes).toContain(`create answered 409: using existing contact ${existing}`);
    expect(sandbox.state().contacts).toEqual([
      expect.objectContaining({ id: existing, email: 'cy@example.com', name: 'Cy', role: 'user' }),
    ]);
    expect(sandbox.violations()).toEqual([]);
  });

  it('C-IDN-2 two users sharing an email become two contacts', async () => {
    const { sandbox, baseUrl } = await start();
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const executor = createExecutor({
      client,
      idCache: createMemoryIdCache(),
      destinationId: 'd1',
      createMissingAttributes: true,
    });
    const email = 'grace@example.com';
    for (const userId of ['u-42', 'grace']) {
      const outcome = await executor.execute(
        deliver(upsert({ externalId: userId, email }, { external_id: userId, email, name: 'Grace' })),
      );
      expect(outcome).toMatchObject({ kind: 'delivered' });
    }
    const contacts = sandbox.state().contacts;
    expect(contacts.map((c) => [c.external_id, c.email])).toEqual([
      ['u-42', email],
      ['grace', email],
    ]);
    expect(sandbox.violations()).toEqual([]);
  });

  it('C-IDN-4 an archived duplicate is unarchived and updated', async () => {
    const { sandbox, baseUrl } = await start();
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const archived = (await client.createContact({ role: 'user', external_id: 'ar-1', name: 'Old' })).value
      .id;
    const archiving = await fetch(`${baseUrl}/contacts/${archived}/archive`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'intercom-version': '2.16' },
    });
    expect(archiving.status).toBe(200);
    const idCache = createMemoryIdCache();
    const executor = createExecutor({ client, idCache, destinationId: 'd1', createMissingAttributes: true });
    const outcome = await executor.execute(deliver(upsert({ externalId: 'ar-1' }, { name: 'New' })));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 4 });
    expect(outcome.notes).toContain(`create answered 409 for archived contact ${archived}: unarchived`);
    expect(sandbox.state().contacts).toEqual([
      expect.objectContaining({ id: archived, external_id: 'ar-1', name: 'New', archived: false }),
    ]);
    expect(await idCache.getContactId(contactKey('d1', 'external_id', 'ar-1'))).toBe(archived);
    expect(sandbox.violations()).toEqual([]);
  });

  it('C-IDN-4 an update that meets an archived contact with our external_id unarchives and updates that one', async () => {
    const { sandbox, baseUrl } = await start();
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const ours = (await client.createContact({ role: 'user', external_id: 'ar-2', email: 'e2@example.com' }))
      .value.id;
    await fetch(`${baseUrl}/contacts/${ours}/archive`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'intercom-version': '2.16' },
    });
    // A lead with the same email (the Messenger's): the email search finds it, not the archived user.
    const lead = (await client.createContact({ role: 'lead', email: 'e2@example.com' })).value.id;
    const executor = createExecutor({
      client,
      idCache: createMemoryIdCache(),
      destinationId: 'd1',
      createMissingAttributes: true,
    });
    const outcome = await executor.execute(
      deliver(upsert({ externalId: 'ar-2', email: 'e2@example.com' }, { external_id: 'ar-2', name: 'Back' })),
    );
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 5 });
    expect(outcome.notes).toContain(`update answered 409 for archived contact ${ours}: unarchived`);
    const contacts = sandbox.state().contacts;
    expect(contacts.find((c) => c.id === ours)).toMatchObject({
      external_id: 'ar-2',
      name: 'Back',
      archived: false,
    });
    expect(contacts.find((c) => c.id === lead)).toMatchObject({
      role: 'lead',
      external_id: null,
      name: null,
    });
    expect(sandbox.violations()).toEqual([]);
  });
});

/** A plan of these operations. */
function deliver(...operations: Operation[]): DeliverPlan {
  return { kind: 'deliver', operations, warnings: [] };
}

/** An identify's contact upsert for `identity` with `fields`. */
function upsert(identity: ContactIdentity, fields: ContactFields): Operation {
  return { kind: 'upsert_contact', identity, fields, attributeTypes: {} };
}
