import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import { type TestSandbox, createTestSandbox } from './sandbox-fixture.js';

let validator: RequestValidator;
const open: TestSandbox[] = [];

beforeAll(async () => {
  validator = await createRequestValidator();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.sandbox.close()));
});

async function start(options = {}): Promise<TestSandbox> {
  const t = await createTestSandbox(validator, options);
  open.push(t);
  return t;
}

async function withAttributes(
  t: TestSandbox,
  model: 'contact' | 'company',
  ...names: string[]
): Promise<void> {
  for (const name of names) {
    const r = await t.call('POST', '/data_attributes', { name, model, data_type: 'string' });
    expect(r.status).toBe(200);
  }
}

describe('GET /me', () => {
  it('returns the admin with the workspace App ID as app.id_code', async () => {
    const t = await start({ appId: 'abc123' });
    const r = await t.call('GET', '/me');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'admin', app: { type: 'app', id_code: 'abc123' } });
  });
});

describe('contacts', () => {
  it('C-IDN-2 creates, gets, finds by external id and updates a user', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'plan');
    const created = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
      signed_up_at: 1_600_000_000,
      custom_attributes: { plan: 'pro' },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      type: 'contact',
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
      signed_up_at: 1_600_000_000,
      created_at: 1_700_000_000,
      custom_attributes: { plan: 'pro' },
      companies: { type: 'list', data: [] },
    });
    const id = created.json['id'] as string;
    expect((await t.call('GET', `/contacts/${id}`)).json['external_id']).toBe('u1');
    expect((await t.call('GET', '/contacts/find_by_external_id/u1')).json['id']).toBe(id);
    const updated = await t.call('PUT', `/contacts/${id}`, { name: 'Ada', last_seen_at: 1_700_000_000 });
    expect(updated.json).toMatchObject({ id, name: 'Ada', last_seen_at: 1_700_000_000, external_id: 'u1' });
  });

  it('creates a lead', async () => {
    const t = await start();
    expect((await t.call('POST', '/contacts', { role: 'lead', email: 'l@example.com' })).json['role']).toBe(
      'lead',
    );
  });

  it('C-IDN-2 answers 409 conflict with the existing id for a duplicate external_id and a duplicate user email', async () => {
    const t = await start();
    const first = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
    });
    const id = first.json['id'] as string;
    for (const body of [
      { role: 'user', external_id: 'u1' },
      { role: 'user', email: 'ada@example.com' },
    ]) {
      const r = await t.call('POST', '/contacts', body);
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({
        type: 'error.list',
        errors: [
          { code: 'conflict', message: `A contact matching those details already exists with id=${id}` },
        ],
      });
      expect(typeof r.json['request_id']).toBe('string');
    }
  });

  it('C-IDN-2 404 User Not Found for unknown ids and external ids', async () => {
    const t = await start();
    for (const r of [
      await t.call('GET', '/contacts/nope'),
      await t.call('PUT', '/contacts/nope', { name: 'x' }),
      await t.call('GET', '/contacts/find_by_external_id/nope'),
    ]) {
      expect(r.status).toBe(404);
      expect(r.json['errors']).toEqual([{ code: 'not_found', message: 'User Not Found' }]);
    }
  });

  it('C-IDN-2 search on external_id and email with AND/OR', async () => {
    const t = await start();
    const a = (
      await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', email: 'ada@example.com' })
    ).json['id'];
    const b = (await t.call('POST', '/contacts', { role: 'lead', email: 'bob@example.com' })).json['id'];
    const byEmail = await t.call('POST', '/contacts/search', {
      query: { field: 'email', operator: '=', value: 'bob@example.com' },
    });
    expect(byEmail.json).toMatchObject({
      type: 'list',
      total_count: 1,
      data: [{ id: b }],
      pages: { type: 'pages' },
    });
    const either = await t.call('POST', '/contacts/search', {
      query: {
        operator: 'OR',
        value: [
          { field: 'external_id', operator: '=', value: 'u1' },
          { field: 'email', operator: '=', value: 'bob@example.com' },
        ],
      },
    });
    expect((either.json['data'] as { id: string }[]).map((c) => c.id)).toEqual([a, b]);
    const both = await t.call('POST', '/contacts/search', {
      query: {
        operator: 'AND',
        value: [
          { field: 'external_id', operator: '=', value: 'u1' },
          { field: 'email', operator: '=', value: 'bob@example.com' },
        ],
      },
    });
    expect(both.json['total_count']).toBe(0);
  });

  it('C-IDN-2 search lag: a contact created just now is not found by search yet', async () => {
    const t = await start({ searchLagMs: 30_000 });
    await t.call('POST', '/contacts', { role: 'user', email: 'ada@example.com' });
    const search = { query: { field: 'email', operator: '=', value: 'ada@example.com' } };
    expect((await t.call('POST', '/contacts/search', search)).json['total_count']).toBe(0);
    t.clock.advance(30_000);
    expect((await t.call('POST', '/contacts/search', search)).json['total_count']).toBe(1);
  });

  it('C-IDN-2 410 contact_merged with a canonical Link after POST /sandbox/merge', async () => {
    const t = await start();
    const from = (await t.call('POST', '/contacts', { role: 'user', external_id: 'old' })).json[
      'id'
    ] as string;
    const into = (await t.call('POST', '/contacts', { role: 'user', external_id: 'new' })).json[
      'id'
    ] as string;
    const merge = await t.sandbox.app.inject({
      method: 'POST',
      url: '/sandbox/merge',
      payload: { from, into },
    });
    expect(merge.statusCode).toBe(200);
    for (const r of [
      await t.call('GET', `/contacts/${from}`),
      await t.call('PUT', `/contacts/${from}`, { name: 'x' }),
      await t.call('GET', '/contacts/find_by_external_id/old'),
    ]) {
      expect(r.status).toBe(410);
      expect(r.headers['link']).toBe(`</contacts/${into}>; rel="canonical"`);
      expect(r.json['errors']).toEqual([
        {
          code: 'contact_merged',
          message: "This contact has been merged. See the 'Link' header for the canonical contact.",
        },
      ]);
    }
  });
});

describe('companies', () => {
  it('C-GR-1 upserts by company_id with an integer monthly_spend and gets it by company_id and id', async () => {
    const t = await start();
    const created = await t.call('POST', '/companies', {
      company_id: 'acme',
      name: 'Acme',
      monthly_spend: 49,
    });
    expect(created.json).toMatchObject({
      type: 'company',
      company_id: 'acme',
      name: 'Acme',
      monthly_spend: 49,
    });
    const again = await t.call('POST', '/companies', {
      company_id: 'acme',
      plan: 'pro',
      monthly_spend: 99.9,
    });
    expect(again.json).toMatchObject({
      id: created.json['id'],
      name: 'Acme',
      monthly_spend: 99,
      plan: { type: 'plan', name: 'pro' },
    });
    expect((await t.call('GET', '/companies?company_id=acme')).json['id']).toBe(created.json['id']);
    expect((await t.call('GET', `/companies/${created.json['id'] as string}`)).json['company_id']).toBe(
      'acme',
    );
    const missing = await t.call('GET', '/companies?company_id=nope');
    expect(missing.status).toBe(404);
    expect(missing.json['errors']).toEqual([{ code: 'company_not_found', message: 'Company Not Found' }]);
  });

  it('C-ID-10 C-GR-2 attaches by Intercom id, lists, and C-ID-11 detaches', async () => {
    const t = await start();
    const contact = (await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' })).json[
      'id'
    ] as string;
    const company = (await t.call('POST', '/companies', { company_id: 'acme' })).json['id'] as string;
    const attached = await t.call('POST', `/contacts/${contact}/companies`, { id: company });
    expect(attached.json).toMatchObject({ type: 'company', id: company, user_count: 1 });
    expect((await t.call('GET', `/contacts/${contact}/companies`)).json).toMatchObject({
      type: 'list',
      data: [{ id: company }],
    });
    expect((await t.call('GET', `/contacts/${contact}`)).json['companies']).toMatchObject({
      total_count: 1,
      data: [{ id: company }],
    });
    const detached = await t.call('DELETE', `/contacts/${contact}/companies/${company}`);
    expect(detached.status).toBe(200);
    expect(t.sandbox.state().attachments).toEqual([]);
  });

  it('C-ID-10 404 company_not_found when attaching an unknown company (a company_id is not an id)', async () => {
    const t = await start();
    const contact = (await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' })).json[
      'id'
    ] as string;
    await t.call('POST', '/companies', { company_id: 'acme' });
    const r = await t.call('POST', `/contacts/${contact}/companies`, { id: 'acme' });
    expect(r.status).toBe(404);
    expect(r.json['errors']).toEqual([{ code: 'company_not_found', message: 'Company Not Found' }]);
  });
});

describe('events', () => {
  async function withUser(options = {}): Promise<TestSandbox> {
    const t = await start(options);
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', email: 'ada@example.com' });
    return t;
  }

  it('C-TR-1 answers 202 with an empty body and stores the event', async () => {
    const t = await withUser();
    const r = await t.call('POST', '/events', {
      event_name: 'order-completed',
      created_at: 1_700_000_000,
      user_id: 'u1',
      metadata: { order_id: 'o1' },
    });
    expect(r.status).toBe(202);
    expect(r.body).toBe('');
    expect(t.sandbox.state().events).toMatchObject([
      {
        event_name: 'order-completed',
        created_at: 1_700_000_000,
        user_id: 'u1',
        metadata: { order_id: 'o1' },
      },
    ]);
  });

  it('C-RACE-2 answers 404 User Not Found for an unknown user', async () => {
    const t = await withUser();
    const r = await t.call('POST', '/events', {
      event_name: 'x',
      created_at: 1_700_000_000,
      user_id: 'nobody',
    });
    expect(r.status).toBe(404);
    expect(r.json['errors']).toEqual([{ code: 'not_found', message: 'User Not Found' }]);
  });

  it('dedupes on (contact, name, created_at)', async () => {
    const t = await withUser();
    const body = { event_name: 'x', created_at: 1_700_000_000, user_id: 'u1' };
    expect((await t.call('POST', '/events', body)).status).toBe(202);
    expect((await t.call('POST', '/events', body)).status).toBe(202);
    expect((await t.call('POST', '/events', { ...body, created_at: 1_700_000_001 })).status).toBe(202);
    expect(t.sandbox.state().events).toHaveLength(2);
  });

  it('C-TR-4 keeps only the first 10 metadata keys', async () => {
    const t = await withUser();
    const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    await t.call('POST', '/events', { event_name: 'x', created_at: 1_700_000_000, user_id: 'u1', metadata });
    const [event] = t.sandbox.state().events;
    expect(Object.keys(event!.metadata)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    expect(event!.dropped_metadata_keys).toEqual(['k10', 'k11']);
  });

  it('C-TR-6 refuses a new event name past the configured limit with a clear error', async () => {
    const t = await withUser({ eventNameLimit: 2 });
    for (const name of ['a', 'b'])
      expect(
        (await t.call('POST', '/events', { event_name: name, created_at: 1_700_000_000, user_id: 'u1' }))
          .status,
      ).toBe(202);
    const r = await t.call('POST', '/events', { event_name: 'c', created_at: 1_700_000_000, user_id: 'u1' });
    expect(r.status).toBe(400);
    expect(r.json['errors']).toEqual([
      {
        code: 'event_name_limit_exceeded',
        message: expect.stringMatching(/2 active event names; 'c' is new/) as unknown,
      },
    ]);
  });
});

describe('data attributes', () => {
  it('lists and creates per model', async () => {
    const t = await start();
    const created = await t.call('POST', '/data_attributes', {
      name: 'tier',
      model: 'company',
      data_type: 'string',
    });
    expect(created.json).toMatchObject({
      type: 'data_attribute',
      name: 'tier',
      model: 'company',
      full_name: 'custom_attributes.tier',
      custom: true,
    });
    const companies = await t.call('GET', '/data_attributes?model=company');
    const names = (companies.json['data'] as { name: string }[]).map((a) => a.name);
    expect(companies.json['type']).toBe('list');
    expect(names).toContain('tier');
    const contacts = await t.call('GET', '/data_attributes?model=contact');
    expect((contacts.json['data'] as { name: string }[]).map((a) => a.name)).not.toContain('tier');
  });

  it.each([
    ['contact', 'POST', '/contacts', { role: 'user', external_id: 'u1', custom_attributes: { plan: 'pro' } }],
    ['company', 'POST', '/companies', { company_id: 'acme', custom_attributes: { plan_tier: 'gold' } }],
  ] as const)(
    'C-ID-4 a %s custom attribute that does not exist is refused with 400 parameter_invalid',
    async (_model, method, url, body) => {
      const t = await start();
      const r = await t.call(method, url, body);
      const name = Object.keys(body.custom_attributes)[0]!;
      expect(r.status).toBe(400);
      expect(r.json['errors']).toEqual([
        { code: 'parameter_invalid', message: `Custom attribute '${name}' does not exist` },
      ]);
    },
  );

  it('C-ID-4 the same request succeeds once the attribute is created', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'plan');
    expect(
      (
        await t.call('POST', '/contacts', {
          role: 'user',
          external_id: 'u1',
          custom_attributes: { plan: 'pro' },
        })
      ).status,
    ).toBe(200);
  });

  it('C-ID-4 refuses object and array values with 400 parameter_invalid', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'address', 'tags');
    for (const value of [{ city: 'Paris' }, ['a']]) {
      const r = await t.call('POST', '/contacts', {
        role: 'user',
        external_id: 'u1',
        custom_attributes: { address: value },
      });
      expect(r.status).toBe(400);
      expect(r.json['errors']).toMatchObject([{ code: 'parameter_invalid' }]);
    }
  });
});
