import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestValidator } from './openapi-validator.js';
import { type Sandbox, createSandbox } from './sandbox.js';

let sandbox: Sandbox;
let baseUrl: string;

beforeAll(async () => {
  sandbox = await createSandbox({ validator: await createRequestValidator(), appId: 'loopback' });
  baseUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await sandbox.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: 'Bearer loopback-token',
      'intercom-version': '2.16',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

describe('sandbox over real HTTP on loopback', () => {
  it('walks through attribute, contact, company, attach, event and state', async () => {
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(
      (await call('POST', '/data_attributes', { name: 'plan_tier', model: 'contact', data_type: 'string' }))
        .status,
    ).toBe(200);
    const contact = await call('POST', '/contacts', {
      role: 'user',
      external_id: 'user-1',
      email: 'ada@example.com',
      custom_attributes: { plan_tier: 'pro' },
    });
    expect(contact.status).toBe(200);
    expect(contact.headers.get('x-ratelimit-limit')).toBe('1000');
    const company = await call('POST', '/companies', { company_id: 'acme', name: 'Acme', monthly_spend: 99 });
    const attach = await call('POST', `/contacts/${contact.json['id'] as string}/companies`, {
      id: company.json['id'],
    });
    expect(attach.status).toBe(200);
    const event = await call('POST', '/events', {
      event_name: 'order-completed',
      created_at: 1_700_000_000,
      user_id: 'user-1',
    });
    expect(event.status).toBe(202);
    const state = await fetch(`${baseUrl}/sandbox/state`).then(
      (r) => r.json() as Promise<Record<string, unknown[]>>,
    );
    expect(state['contacts']).toHaveLength(1);
    expect(state['companies']).toHaveLength(1);
    expect(state['attachments']).toHaveLength(1);
    expect(state['events']).toHaveLength(1);
    expect(sandbox.violations()).toEqual([]);
  });

  it('drops the connection without an answer when dropRate is 1', async () => {
    sandbox.setFaults({ dropRate: 1 });
    try {
      await expect(call('GET', '/me')).rejects.toThrow();
      expect(sandbox.requests().at(-1)).toMatchObject({ path: '/me', status: 0, fault: 'drop' });
    } finally {
      sandbox.setFaults({ dropRate: 0 });
    }
    expect((await call('GET', '/me')).json['app']).toMatchObject({ id_code: 'loopback' });
  });
});
