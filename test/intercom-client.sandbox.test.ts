/**
 * The Intercom client over real HTTP on loopback against the sandbox: every operation's happy path.
 * The sandbox validates every request against Intercom's OpenAPI 2.16 description, so
 * `violations()` staying empty proves the client's requests are well-formed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntercomClient } from '../src/intercom/client.js';
import type { Sandbox } from '../src/sandbox/sandbox.js';
import { NOW_MS, TOKEN, loopbackSandboxes } from './loopback-sandbox-fixture.js';

const { prepare, start, closeAll } = loopbackSandboxes();
beforeAll(prepare);
afterAll(closeAll);

describe('IntercomClient against the sandbox: happy paths', () => {
  let sandbox: Sandbox;
  let client: IntercomClient;

  beforeAll(async () => {
    const started = await start();
    sandbox = started.sandbox;
    client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: started.baseUrl, timeoutMs: 5000 });
  });

  afterEach(() => {
    expect(sandbox.violations()).toEqual([]);
    sandbox.reset();
  });

  it('GET /me returns the workspace App ID and the rate-limit headers', async () => {
    const me = await client.getMe();
    expect(me.value.app).toEqual({ id_code: 'loop-app' });
    expect(me.rateLimit).toEqual({ limit: 1000, remaining: 999, resetAtSeconds: NOW_MS / 1000 + 10 });
  });

  it('creates and lists data attributes', async () => {
    const created = await client.createDataAttribute({
      name: 'plan_tier',
      model: 'contact',
      data_type: 'string',
    });
    expect(created.value).toEqual({ name: 'plan_tier', model: 'contact', data_type: 'string' });
    const listed = await client.listDataAttributes('contact');
    expect(listed.value).toContainEqual({ name: 'plan_tier', model: 'contact', data_type: 'string' });
  });

  it('creates, finds, searches, updates and gets a contact', async () => {
    const created = await client.createContact({
      role: 'user',
      external_id: 'u-1',
      email: 'ann@example.com',
    });
    const id = created.value.id;
    expect(created.value).toMatchObject({ external_id: 'u-1', email: 'ann@example.com', role: 'user' });
    expect((await client.findContactByExternalId('u-1')).value?.id).toBe(id);
    expect((await client.findContactByExternalId('nobody')).value).toBeUndefined();
    expect((await client.searchContactsByEmail('ann@example.com')).value.map((c) => c.id)).toEqual([id]);
    expect((await client.searchContactsByEmail('none@example.com')).value).toEqual([]);
    const updated = await client.updateContact(id, { name: 'Ann', last_seen_at: NOW_MS / 1000 });
    expect(updated.value.id).toBe(id);
    expect((await client.getContact(id)).value).toMatchObject({ id, external_id: 'u-1' });
    expect(sandbox.state().contacts[0]).toMatchObject({ name: 'Ann', last_seen_at: NOW_MS / 1000 });
  });

  it('upserts and finds a company, attaches and detaches a contact', async () => {
    const contact = (await client.createContact({ role: 'user', external_id: 'u-2' })).value;
    const company = (await client.upsertCompany({ company_id: 'acme', name: 'Acme', monthly_spend: 99 }))
      .value;
    expect(company.company_id).toBe('acme');
    expect((await client.findCompanyByCompanyId('acme')).value?.id).toBe(company.id);
    expect((await client.findCompanyByCompanyId('nope')).value).toBeUndefined();
    await client.attachContactToCompany(contact.id, company.id);
    expect(sandbox.state().attachments).toEqual([{ contact_id: contact.id, company_id: company.id }]);
    const detached = await client.detachContactFromCompany(contact.id, company.id);
    expect(detached.status).toBe(200);
    expect(sandbox.state().attachments).toEqual([]);
  });

  it('submits an event (202)', async () => {
    await client.createContact({ role: 'user', external_id: 'u-3' });
    const result = await client.submitEvent({
      event_name: 'order-completed',
      created_at: NOW_MS / 1000,
      user_id: 'u-3',
      metadata: { price: { amount: 1999, currency: 'usd' }, items: 2 },
    });
    expect(result.status).toBe(202);
    expect(sandbox.state().events).toHaveLength(1);
  });
});
