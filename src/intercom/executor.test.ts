import { describe, expect, it } from 'vitest';
import { IntercomHttpError, IntercomTimeoutError } from './errors.js';
import type { DeliverPlan } from './operations.js';
import { createExecutor } from './executor.js';
import type { IdCache } from './id-cache.js';
import { contactKey, createMemoryIdCache } from './id-cache.js';
import type { IntercomApi, IntercomResponse } from './api-calls.js';
import type { Operation } from './operations.js';
import type { RateLimitInfo } from './outcome.js';

type Method = keyof IntercomApi;
type Answer = { readonly value: unknown; readonly rateLimit?: RateLimitInfo } | Error;

/**
 * A scripted Intercom: each method answers from its own queue, in order, and records its arguments.
 * A call with nothing scripted fails the test, so every test states the exact calls it expects.
 */
function scriptedApi(script: Partial<Record<Method, Answer[]>>): {
  api: IntercomApi;
  log: [Method, ...unknown[]][];
} {
  const log: [Method, ...unknown[]][] = [];
  const answer =
    (method: Method) =>
    (...args: unknown[]): Promise<IntercomResponse<never>> => {
      log.push([method, ...args]);
      const next = script[method]?.shift();
      if (next === undefined) return Promise.reject(new TypeError(`unscripted call ${method}`));
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve({ status: 200, ...next } as IntercomResponse<never>);
    };
  const methods: Method[] = [
    'getMe',
    'findContactByExternalId',
    'searchContactsByEmail',
    'createContact',
    'updateContact',
    'getContact',
    'upsertCompany',
    'findCompanyByCompanyId',
    'attachContactToCompany',
    'detachContactFromCompany',
    'submitEvent',
    'listDataAttributes',
    'createDataAttribute',
  ];
  const api = Object.fromEntries(methods.map((m) => [m, answer(m)])) as unknown as IntercomApi;
  return { api, log };
}

function httpError(
  status: number,
  code: string,
  message: string,
  extra: { link?: string; reset?: number } = {},
) {
  return new IntercomHttpError(
    {
      status,
      errors: [{ code, message }],
      ...(extra.link === undefined ? {} : { link: { path: `/contacts/${extra.link}`, id: extra.link } }),
      ...(extra.reset === undefined
        ? {}
        : { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: extra.reset } }),
    },
    { method: 'X', route: '/x' },
  );
}

const ok = (value: unknown, rateLimit?: RateLimitInfo): Answer =>
  rateLimit === undefined ? { value } : { value, rateLimit };
const DEST = 'dest-1';
const identity = { externalId: 'u1', email: 'ann@example.com' };
const contact = (id: string, externalId?: string) => ({
  id,
  role: 'user',
  email: 'ann@example.com',
  ...(externalId === undefined ? {} : { external_id: externalId }),
});

function plan(...operations: Operation[]): DeliverPlan {
  return { kind: 'deliver', operations, warnings: [] };
}

const identify = (fields: Record<string, unknown> = {}, attributeTypes = {}): Operation => ({
  kind: 'upsert_contact',
  identity,
  fields: { external_id: 'u1', email: 'ann@example.com', name: 'Ann', ...fields },
  attributeTypes,
});

function setup(script: Partial<Record<Method, Answer[]>>, createMissingAttributes = true, cache?: IdCache) {
  const idCache = cache ?? createMemoryIdCache();
  const { api, log } = scriptedApi(script);
  const executor = createExecutor({ client: api, idCache, destinationId: DEST, createMissingAttributes });
  return { executor, log, idCache };
}

async function cachedCache(id = 'c1'): Promise<IdCache> {
  const cache = createMemoryIdCache();
  await cache.setContactId(contactKey(DEST, 'external_id', 'u1'), id);
  return cache;
}

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

  it('C-IDN-2 a 409 naming a contact with another external_id fails instead of overwriting it', async () => {
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
    expect(outcome.kind === 'failed' && outcome.failure).toMatchObject({
      kind: 'http',
      status: 409,
      code: 'conflict',
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

describe('executor: missing custom attributes (createMissingAttributes)', () => {
  const missing = () => httpError(400, 'parameter_invalid', "Custom attribute 'tier' does not exist");
  const op = identify({ custom_attributes: { tier: 3, plan: 'pro' } }, { tier: 'integer' });

  it('issue #5 row missing-attribute: creates the attribute with the plan type and resends at once', async () => {
    const { executor, log } = setup(
      {
        updateContact: [missing(), ok(contact('c1', 'u1'))],
        createDataAttribute: [ok({ name: 'tier', model: 'contact', data_type: 'integer' })],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      calls: 3,
      notes: ['created data attribute contact.tier (integer)'],
    });
    expect(log[1]).toEqual(['createDataAttribute', { name: 'tier', model: 'contact', data_type: 'integer' }]);
    expect(log[2]?.[2]).toMatchObject({ custom_attributes: { tier: 3, plan: 'pro' } });
  });

  it('issue #5 row missing-attribute (createMissingAttributes off): drops the attribute and delivers the rest', async () => {
    const { executor, log } = setup(
      { updateContact: [missing(), ok(contact('c1', 'u1'))] },
      false,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      calls: 2,
      notes: ['dropped missing attribute contact.tier'],
    });
    expect(log[1]?.[2]).toMatchObject({ custom_attributes: { plan: 'pro' } });
  });

  it('drops the attribute when creating it did not help, so it always ends', async () => {
    const { executor } = setup(
      {
        updateContact: [missing(), missing(), ok(contact('c1', 'u1'))],
        createDataAttribute: [httpError(400, 'parameter_invalid', 'Name already used')],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 4 });
    expect(outcome.notes).toEqual([
      'could not create data attribute contact.tier: parameter_invalid',
      'dropped missing attribute contact.tier',
    ]);
  });

  it('creates missing company attributes as model company (default type string)', async () => {
    const { executor, log } = setup({
      upsertCompany: [
        httpError(400, 'parameter_invalid', "Custom attribute 'region' does not exist"),
        ok({ id: 'co1' }),
      ],
      createDataAttribute: [ok({ name: 'region', model: 'company', data_type: 'string' })],
    });
    const companyOp: Operation = {
      kind: 'upsert_company',
      company: { company_id: 'g1', custom_attributes: { region: 'north' } },
      attributeTypes: {},
    };
    expect(await executor.execute(plan(companyOp))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log[1]).toEqual([
      'createDataAttribute',
      { name: 'region', model: 'company', data_type: 'string' },
    ]);
  });
});

describe('executor: companies (C-ID-10, C-ID-11, C-GR-1, C-GR-2)', () => {
  const upsert: Operation = {
    kind: 'upsert_company',
    company: { company_id: 'g1', name: 'Acme' },
    attributeTypes: {},
  };
  const attach: Operation = { kind: 'attach_company', identity, companyId: 'g1' };
  const detach: Operation = { kind: 'detach_company', identity, companyId: 'g1' };

  it('C-GR-2 upserts, then attaches the cached contact with the company Intercom id', async () => {
    const { executor, log } = setup(
      { upsertCompany: [ok({ id: 'co1', company_id: 'g1' })], attachContactToCompany: [ok(undefined)] },
      true,
      await cachedCache(),
    );
    expect(await executor.execute(plan(upsert, attach))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['attachContactToCompany', 'c1', 'co1']);
  });

  it('C-GR-1 an identical group call again costs no calls (fields hash and attachment memo)', async () => {
    const cache = await cachedCache();
    const first = setup(
      { upsertCompany: [ok({ id: 'co1' })], attachContactToCompany: [ok(undefined)] },
      true,
      cache,
    );
    await first.executor.execute(plan(upsert, attach));
    const second = setup({}, true, cache);
    const outcome = await second.executor.execute(plan(upsert, attach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 0 });
    expect(second.log).toEqual([]);
  });

  it('C-GR-1 changed company fields are upserted again', async () => {
    const cache = await cachedCache();
    await setup({ upsertCompany: [ok({ id: 'co1' })] }, true, cache).executor.execute(plan(upsert));
    const again = setup({ upsertCompany: [ok({ id: 'co1' })] }, true, cache);
    const changed: Operation = {
      kind: 'upsert_company',
      company: { company_id: 'g1', name: 'Acme Inc' },
      attributeTypes: {},
    };
    expect(await again.executor.execute(plan(changed))).toMatchObject({ calls: 1 });
  });

  it('C-ID-10 attach looks up an uncached company by company_id', async () => {
    const { executor, log } = setup(
      { findCompanyByCompanyId: [ok({ id: 'co2' })], attachContactToCompany: [ok(undefined)] },
      true,
      await cachedCache(),
    );
    expect(await executor.execute(plan(attach))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['attachContactToCompany', 'c1', 'co2']);
  });

  it('C-ID-10 attach to a company Intercom does not know fails with company_not_found', async () => {
    const { executor } = setup({ findCompanyByCompanyId: [ok(undefined)] }, true, await cachedCache());
    const outcome = await executor.execute(plan(attach));
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'attach_company', calls: 1 });
    expect(outcome.kind === 'failed' && outcome.failure).toMatchObject({
      status: 404,
      code: 'company_not_found',
    });
  });

  it('C-GR-2 attach creates the contact when it does not exist yet', async () => {
    const cache = createMemoryIdCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    const { executor, log } = setup(
      {
        findContactByExternalId: [ok(undefined)],
        searchContactsByEmail: [ok([])],
        createContact: [ok(contact('c12', 'u1'))],
        attachContactToCompany: [ok(undefined)],
      },
      true,
      cache,
    );
    expect(await executor.execute(plan(attach))).toMatchObject({ kind: 'delivered', calls: 4 });
    expect(log[2]).toEqual(['createContact', { role: 'user', external_id: 'u1', email: 'ann@example.com' }]);
  });

  it('C-ID-11 detaching a company that is not attached is a success', async () => {
    const cache = await cachedCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    const { executor } = setup(
      { detachContactFromCompany: [httpError(404, 'company_not_found', 'Company Not Found')] },
      true,
      cache,
    );
    const outcome = await executor.execute(plan(detach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 1 });
  });

  it('C-ID-11 detaching from an unknown company or for an unknown contact is a success', async () => {
    const unknownCompany = setup({ findCompanyByCompanyId: [ok(undefined)] });
    expect(await unknownCompany.executor.execute(plan(detach))).toMatchObject({
      kind: 'delivered',
      calls: 1,
    });
    const unknownContact = setup({
      findCompanyByCompanyId: [ok({ id: 'co1' })],
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
    });
    const outcome = await unknownContact.executor.execute(plan(detach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(unknownContact.log.map((l) => l[0])).not.toContain('createContact');
  });

  it('C-ID-11 detach forgets the attachment so a later attach is sent again', async () => {
    const cache = await cachedCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    await setup({ attachContactToCompany: [ok(undefined)] }, true, cache).executor.execute(plan(attach));
    await setup({ detachContactFromCompany: [ok(undefined)] }, true, cache).executor.execute(plan(detach));
    const again = setup({ attachContactToCompany: [ok(undefined)] }, true, cache);
    expect(await again.executor.execute(plan(attach))).toMatchObject({ calls: 1 });
  });
});

describe('executor: events (C-TR-1)', () => {
  it('C-TR-1 a track by user_id needs no resolution: one POST /events', async () => {
    const { executor, log } = setup({ submitEvent: [ok(undefined)] });
    const op: Operation = {
      kind: 'submit_event',
      identity,
      event: { event_name: 'ordered', created_at: 1764355800, user_id: 'u1' },
    };
    expect(await executor.execute(plan(op))).toEqual({ kind: 'delivered', calls: 1, notes: [] });
    expect(log).toEqual([['submitEvent', { event_name: 'ordered', created_at: 1764355800, user_id: 'u1' }]]);
  });

  it('C-IDN-1 names the user from the identity when the event body has no id', async () => {
    const { executor, log } = setup({ submitEvent: [ok(undefined)] });
    const op: Operation = {
      kind: 'submit_event',
      identity: { email: 'ann@example.com' },
      event: { event_name: 'ordered', created_at: 1 },
    };
    await executor.execute(plan(op));
    expect(log[0]?.[1]).toEqual({ event_name: 'ordered', created_at: 1, email: 'ann@example.com' });
  });

  it('C-RACE-2 a 404 User Not Found is a failure for the delivery policy, not retried here', async () => {
    const { executor, log } = setup({ submitEvent: [httpError(404, 'not_found', 'User Not Found')] });
    const op: Operation = {
      kind: 'submit_event',
      identity,
      event: { event_name: 'x', created_at: 1, user_id: 'u1' },
    };
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'submit_event', calls: 1 });
    expect(log).toHaveLength(1);
  });
});

describe('executor: failures and totals', () => {
  const event: Operation = {
    kind: 'submit_event',
    identity,
    event: { event_name: 'x', created_at: 1, user_id: 'u1' },
  };

  it('stops at the first failure and passes on the 429 reset time and the calls spent', async () => {
    const { executor, log } = setup(
      {
        updateContact: [ok(contact('c1', 'u1'))],
        submitEvent: [httpError(429, 'rate_limit_exceeded', 'slow down', { reset: 1764355810 })],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(identify(), event, event));
    expect(outcome).toEqual({
      kind: 'failed',
      operation: 'submit_event',
      calls: 2,
      notes: [],
      failure: {
        kind: 'http',
        status: 429,
        code: 'rate_limit_exceeded',
        message: 'slow down',
        rateLimit: { limit: 167, remaining: 0, resetAtSeconds: 1764355810 },
      },
      rateLimit: { limit: 167, remaining: 0, resetAtSeconds: 1764355810 },
    });
    expect(log).toHaveLength(2);
  });

  it('reports a timeout as a timeout failure', async () => {
    const { executor } = setup({
      submitEvent: [new IntercomTimeoutError(20000, { method: 'POST', route: '/events' })],
    });
    const outcome = await executor.execute(plan(event));
    expect(outcome.kind === 'failed' && outcome.failure).toEqual({ kind: 'timeout', timeoutMs: 20000 });
  });

  it('passes on the rate limit of the last answer', async () => {
    const rate = { limit: 167, remaining: 150, resetAtSeconds: 1764355820 };
    const { executor } = setup({
      submitEvent: [ok(undefined, { ...rate, remaining: 160 }), ok(undefined, rate)],
    });
    expect(await executor.execute(plan(event, event))).toEqual({
      kind: 'delivered',
      calls: 2,
      notes: [],
      rateLimit: rate,
    });
  });

  it('lets errors that are not Intercom failures (a bug, a broken cache) propagate', async () => {
    const { executor } = setup({});
    await expect(executor.execute(plan(event))).rejects.toThrow(/unscripted call submitEvent/);
  });
});
