import { describe, expect, it } from 'vitest';
import { IntercomClient } from './client.js';
import { CONTACT, RATE, TOKEN, fakeFetch, json } from './fake-fetch-fixture.js';
import { caught } from './rejection-fixture.js';

describe('IntercomClient requests', () => {
  it('sends the bearer token, Intercom-Version 2.16 and JSON to the region host', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, CONTACT, RATE));
    const client = new IntercomClient({ accessToken: TOKEN, region: 'eu', fetch });
    const result = await client.createContact({ role: 'user', external_id: 'u1' });
    expect(calls[0]?.url).toBe('https://api.eu.intercom.io/contacts');
    expect(calls[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(calls[0]?.headers.get('intercom-version')).toBe('2.16');
    expect(calls[0]?.headers.get('content-type')).toBe('application/json');
    expect(result).toEqual({
      status: 200,
      value: { id: 'c1', external_id: 'u1', email: 'a@example.com', role: 'user' },
      rateLimit: { limit: 167, remaining: 100, resetAtSeconds: 1764355810 },
    });
  });

  it('uses apiBaseUrl over the region and the configured version', async () => {
    const { fetch, calls } = fakeFetch(() => json(200, { type: 'admin', id: '1', app: { id_code: 'abc' } }));
    const client = new IntercomClient({
      accessToken: TOKEN,
      region: 'au',
      apiBaseUrl: 'http://127.0.0.1:9999/',
      apiVersion: '2.14',
      fetch,
    });
    const me = await client.getMe();
    expect(calls[0]?.url).toBe('http://127.0.0.1:9999/me');
    expect(calls[0]?.headers.get('intercom-version')).toBe('2.14');
    expect(me.value).toEqual({ id: '1', app: { id_code: 'abc' } });
    expect(me.rateLimit).toBeUndefined();
  });

  it.each([
    [
      'findContactByExternalId',
      (c: IntercomClient) => c.findContactByExternalId('a/b c'),
      'GET',
      '/contacts/find_by_external_id/a%2Fb%20c',
      undefined,
    ],
    [
      'searchContactsByEmail',
      (c: IntercomClient) => c.searchContactsByEmail('a@example.com'),
      'POST',
      '/contacts/search',
      { query: { field: 'email', operator: '=', value: 'a@example.com' }, pagination: { per_page: 50 } },
    ],
    [
      'updateContact',
      (c: IntercomClient) => c.updateContact('c1', { name: 'A' }),
      'PUT',
      '/contacts/c1',
      { name: 'A' },
    ],
    ['getContact', (c: IntercomClient) => c.getContact('c1'), 'GET', '/contacts/c1', undefined],
    [
      'upsertCompany',
      (c: IntercomClient) => c.upsertCompany({ company_id: 'g1', name: 'Acme' }),
      'POST',
      '/companies',
      { company_id: 'g1', name: 'Acme' },
    ],
    [
      'findCompanyByCompanyId',
      (c: IntercomClient) => c.findCompanyByCompanyId('g 1'),
      'GET',
      '/companies?company_id=g+1',
      undefined,
    ],
    [
      'attachContactToCompany',
      (c: IntercomClient) => c.attachContactToCompany('c1', 'co1'),
      'POST',
      '/contacts/c1/companies',
      { id: 'co1' },
    ],
    [
      'detachContactFromCompany',
      (c: IntercomClient) => c.detachContactFromCompany('c1', 'co1'),
      'DELETE',
      '/contacts/c1/companies/co1',
      undefined,
    ],
    [
      'submitEvent',
      (c: IntercomClient) => c.submitEvent({ event_name: 'ordered', created_at: 1, user_id: 'u1' }),
      'POST',
      '/events',
      { event_name: 'ordered', created_at: 1, user_id: 'u1' },
    ],
    [
      'listDataAttributes',
      (c: IntercomClient) => c.listDataAttributes('company'),
      'GET',
      '/data_attributes?model=company',
      undefined,
    ],
    [
      'createDataAttribute',
      (c: IntercomClient) => c.createDataAttribute({ name: 'tier', model: 'contact', data_type: 'string' }),
      'POST',
      '/data_attributes',
      { name: 'tier', model: 'contact', data_type: 'string' },
    ],
  ])('%s sends %s %s', async (_name, call, method, path, body) => {
    const { fetch, calls } = fakeFetch(() => new Response('{}', { status: 500 }));
    await caught(call(new IntercomClient({ accessToken: TOKEN, apiBaseUrl: 'http://h', fetch })));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe(method);
    expect(calls[0]?.url).toBe(`http://h${path}`);
    expect(calls[0]?.body).toEqual(body);
  });
});
