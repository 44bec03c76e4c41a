/**
 * The Intercom client and executor over real HTTP on loopback against the sandbox: every operation's
 * happy path, and each error class surfaced as a typed error carrying what a retry policy needs.
 * The sandbox validates every request against Intercom's OpenAPI 2.16 description, so
 * `violations()` staying empty proves the client's requests are well-formed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntercomClient } from '../src/intercom/client.js';
import type { IntercomError } from '../src/intercom/errors.js';
import { IntercomHttpError, IntercomNetworkError, IntercomTimeoutError } from '../src/intercom/errors.js';
import { createExecutor } from '../src/intercom/executor.js';
import { contactKey, createMemoryIdCache } from '../src/intercom/id-cache.js';
import type { RequestValidator } from '../src/sandbox/openapi-validator.js';
import { createRequestValidator } from '../src/sandbox/openapi-validator.js';
import type { Sandbox, SandboxOptions } from '../src/sandbox/sandbox.js';
import { createSandbox } from '../src/sandbox/sandbox.js';

const TOKEN = 'loopback-token-123';
const NOW_MS = 1_764_355_800_000;

let validator: RequestValidator;
const running: Sandbox[] = [];

beforeAll(async () => {
  validator = await createRequestValidator();
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
});

async function start(options: SandboxOptions = {}): Promise<{ sandbox: Sandbox; baseUrl: string }> {
  const sandbox = await createSandbox({
    validator,
    token: TOKEN,
    appId: 'loop-app',
    clock: { now: () => NOW_MS },
    ...options,
  });
  running.push(sandbox);
  return { sandbox, baseUrl: await sandbox.listen({ port: 0, host: '127.0.0.1' }) };
}

async function caught(promise: Promise<unknown>): Promise<IntercomError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as IntercomError;
  }
  return expect.fail('expected a rejection');
}

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

describe('IntercomClient against the sandbox: error classes', () => {
  let sandbox: Sandbox;
  let baseUrl: string;
  let client: IntercomClient;

  beforeAll(async () => {
    ({ sandbox, baseUrl } = await start());
    client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl, timeoutMs: 2000 });
  });

  afterEach(() => {
    sandbox.reset();
  });

  it('401 for a wrong token: typed, with code and request id, and no token in the message', async () => {
    const wrong = new IntercomClient({ accessToken: 'wrong-token-xyz', apiBaseUrl: baseUrl });
    const error = await caught(wrong.getMe());
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect(error.toFailure()).toMatchObject({ kind: 'http', status: 401, code: 'unauthorized' });
    expect((error as IntercomHttpError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).not.toContain('wrong-token-xyz');
  });

  it('404 for an unknown contact', async () => {
    const error = await caught(client.getContact('does-not-exist'));
    expect(error.toFailure()).toMatchObject({ kind: 'http', status: 404, code: 'not_found' });
  });

  it('409 on a duplicate contact, with the existing id extracted (C-IDN-2)', async () => {
    const first = (await client.createContact({ role: 'user', external_id: 'dup' })).value;
    const error = await caught(client.createContact({ role: 'user', external_id: 'dup' }));
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect((error as IntercomHttpError).status).toBe(409);
    expect((error as IntercomHttpError).existingContactId).toBe(first.id);
  });

  it('410 for a merged contact, with the canonical id from the Link header (C-IDN-2)', async () => {
    const from = (await client.createContact({ role: 'user', external_id: 'old' })).value.id;
    const into = (await client.createContact({ role: 'user', external_id: 'new' })).value.id;
    const merged = await fetch(`${baseUrl}/sandbox/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, into }),
    });
    expect(merged.status).toBe(200);
    for (const call of [
      client.getContact(from),
      client.findContactByExternalId('old'),
      client.updateContact(from, {}),
    ]) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(IntercomHttpError);
      expect((error as IntercomHttpError).status).toBe(410);
      expect((error as IntercomHttpError).code).toBe('contact_merged');
      expect((error as IntercomHttpError).link?.id).toBe(into);
    }
  });

  it('400 for a custom attribute that does not exist, naming it', async () => {
    const contact = (await client.createContact({ role: 'user', external_id: 'attr' })).value;
    const error = await caught(client.updateContact(contact.id, { custom_attributes: { not_yet: 'x' } }));
    expect((error as IntercomHttpError).status).toBe(400);
    expect((error as IntercomHttpError).missingAttribute).toBe('not_yet');
  });

  it('5xx injected by the sandbox', async () => {
    sandbox.setFaults({ errorRate: 1, errorStatus: 503 });
    const error = await caught(client.getMe());
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect(error.toFailure()).toMatchObject({ kind: 'http', status: 503 });
  });

  it('timeout when the sandbox answers later than the client waits', async () => {
    // Its own sandbox: the slow request is still in flight after this test, and must not meet later faults.
    const slow = await start({ faults: { latencyMs: 1500 } });
    const quick = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: slow.baseUrl, timeoutMs: 200 });
    const error = await caught(quick.getMe());
    expect(error).toBeInstanceOf(IntercomTimeoutError);
    expect(error.toFailure()).toEqual({ kind: 'timeout', timeoutMs: 200 });
  });

  it('connection reset when the sandbox drops the connection', async () => {
    sandbox.setFaults({ dropRate: 1 });
    const error = await caught(client.getMe());
    expect(error).toBeInstanceOf(IntercomNetworkError);
    expect(error.toFailure().kind).toBe('network');
    expect(error.message).not.toContain(TOKEN);
  });

  it('connection refused when nothing listens', async () => {
    const closed = await start();
    await closed.sandbox.close();
    running.splice(running.indexOf(closed.sandbox), 1);
    const error = await caught(
      new IntercomClient({ accessToken: TOKEN, apiBaseUrl: closed.baseUrl }).getMe(),
    );
    expect(error).toBeInstanceOf(IntercomNetworkError);
    expect(error.toFailure()).toMatchObject({
      kind: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('IntercomClient against the sandbox: 429 rate limit', () => {
  it('429 carries the reset time from X-RateLimit-Reset (decision 5)', async () => {
    const { baseUrl } = await start({ rateLimit: { limit: 2, windowMs: 10_000 } });
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    await client.getMe();
    expect((await client.getMe()).rateLimit?.remaining).toBe(0);
    const error = await caught(client.getMe());
    expect(error.toFailure()).toEqual({
      kind: 'http',
      status: 429,
      code: 'rate_limit_exceeded',
      message: 'Exceeded rate limit of 2 in 10_seconds',
      requestId: expect.any(String),
      rateLimit: { limit: 2, remaining: 0, resetAtSeconds: NOW_MS / 1000 + 10 },
    });
  });
});

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
  it('C-IDN-2 a 409 on create (search lag) adopts the existing user and sets our external_id', async () => {
    const { sandbox, baseUrl } = await start({ searchLagMs: 60_000 });
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: baseUrl });
    const existing = (await client.createContact({ role: 'user', email: 'cy@example.com' })).value.id;
    const executor = createExecutor({
      client,
      idCache: createMemoryIdCache(),
      destinationId: 'd1',
      createMissingAttributes: true,
    });
    const outcome = await executor.execute({
      kind: 'deliver',
      operations: [
        {
          kind: 'upsert_contact',
          identity: { externalId: 'cy-1', email: 'cy@example.com' },
          fields: { email: 'cy@example.com', name: 'Cy' },
          attributeTypes: {},
        },
      ],
      warnings: [],
    });
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 5 });
    expect(outcome.notes).toContain(`create answered 409: using existing contact ${existing}`);
    expect(sandbox.state().contacts).toEqual([
      expect.objectContaining({ id: existing, external_id: 'cy-1', name: 'Cy', role: 'user' }),
    ]);
    expect(sandbox.violations()).toEqual([]);
  });
});
