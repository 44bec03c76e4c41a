import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchFunction } from './client.js';
import { IntercomClient } from './client.js';
import type { IntercomError } from './errors.js';
import {
  IntercomHttpError,
  IntercomNetworkError,
  IntercomResponseError,
  IntercomTimeoutError,
} from './errors.js';

const TOKEN = 'tok_secret_123';

interface Recorded {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fake fetch answering every call with `answer` and recording what was sent. */
function fakeFetch(answer: () => Response): { fetch: FetchFunction; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetch: FetchFunction = (url, init) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return Promise.resolve(answer());
  };
  return { fetch, calls };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function errorList(code: string, message: string): unknown {
  return { type: 'error.list', request_id: 'req-9', errors: [{ code, message }] };
}

async function caught(promise: Promise<unknown>): Promise<IntercomError> {
  try {
    await promise;
  } catch (error: unknown) {
    return error as IntercomError;
  }
  return expect.fail('expected a rejection');
}

const RATE = {
  'X-RateLimit-Limit': '167',
  'X-RateLimit-Remaining': '100',
  'X-RateLimit-Reset': '1764355810',
};
const CONTACT = { type: 'contact', id: 'c1', external_id: 'u1', email: 'a@example.com', role: 'user' };

afterEach(() => {
  vi.useRealTimers();
});

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

describe('IntercomClient answers', () => {
  const client = (answer: () => Response): IntercomClient =>
    new IntercomClient({ accessToken: TOKEN, apiBaseUrl: 'http://h', fetch: fakeFetch(answer).fetch });

  it('turns 404 on find by external id into undefined, keeping the rate limit', async () => {
    const result = await client(() =>
      json(404, errorList('not_found', 'User Not Found'), RATE),
    ).findContactByExternalId('u1');
    expect(result.value).toBeUndefined();
    expect(result.rateLimit?.remaining).toBe(100);
  });

  it('turns 404 on find company into undefined', async () => {
    const result = await client(() =>
      json(404, errorList('company_not_found', 'Company Not Found')),
    ).findCompanyByCompanyId('g1');
    expect(result.value).toBeUndefined();
  });

  it('reads search results, skipping items without an id', async () => {
    const result = await client(() =>
      json(200, { type: 'list', total_count: 2, data: [CONTACT, { type: 'contact', email: 'x' }] }),
    ).searchContactsByEmail('a@example.com');
    expect(result.value).toEqual([{ id: 'c1', external_id: 'u1', email: 'a@example.com', role: 'user' }]);
  });

  it('accepts 202 with an empty body from POST /events (C-TR-1)', async () => {
    const result = await client(() => new Response(null, { status: 202 })).submitEvent({
      event_name: 'x',
      created_at: 1,
      user_id: 'u1',
    });
    expect(result).toEqual({ status: 202, value: undefined });
  });

  it('throws IntercomResponseError on a 2xx body that is not a contact', async () => {
    const error = await caught(client(() => json(200, { type: 'contact' })).createContact({ role: 'user' }));
    expect(error).toBeInstanceOf(IntercomResponseError);
    expect(error.toFailure()).toMatchObject({ kind: 'http', status: 200, code: 'invalid_response' });
  });

  it('throws IntercomResponseError on a 2xx body that is not JSON', async () => {
    const error = await caught(client(() => new Response('<html>', { status: 200 })).getMe());
    expect(error).toBeInstanceOf(IntercomResponseError);
  });

  it('keeps status, code, message and request id of 401', async () => {
    const error = await caught(
      client(() => json(401, errorList('unauthorized', 'Access Token Invalid'))).getMe(),
    );
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect(error.toFailure()).toEqual({
      kind: 'http',
      status: 401,
      code: 'unauthorized',
      message: 'Access Token Invalid',
      requestId: 'req-9',
    });
  });

  it('extracts the existing contact id from a 409 (C-IDN-2)', async () => {
    const error = await caught(
      client(() =>
        json(409, errorList('conflict', 'A contact matching those details already exists with id=abc123')),
      ).createContact({ role: 'user', external_id: 'u1' }),
    );
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect((error as IntercomHttpError).existingContactId).toBe('abc123');
  });

  it('extracts the canonical id from the Link header of a 410 (C-IDN-2)', async () => {
    const error = await caught(
      client(() =>
        json(410, errorList('contact_merged', 'Contact was merged'), {
          Link: '</contacts/canon1>; rel="canonical"',
        }),
      ).getContact('old1'),
    );
    expect((error as IntercomHttpError).link).toEqual({ path: '/contacts/canon1', id: 'canon1' });
    expect((error as IntercomHttpError).code).toBe('contact_merged');
  });

  it('carries the reset time of a 429 in the failure (ARCHITECTURE.md decision 5)', async () => {
    const error = await caught(
      client(() =>
        json(429, errorList('rate_limit_exceeded', 'Exceeded rate limit of 167 in 10_seconds'), {
          ...RATE,
          'X-RateLimit-Remaining': '0',
        }),
      ).submitEvent({ event_name: 'x', created_at: 1, user_id: 'u' }),
    );
    expect(error.toFailure()).toMatchObject({
      kind: 'http',
      status: 429,
      code: 'rate_limit_exceeded',
      rateLimit: { limit: 167, remaining: 0, resetAtSeconds: 1764355810 },
    });
  });

  it('names the missing custom attribute of a 400', async () => {
    const error = await caught(
      client(() =>
        json(400, errorList('parameter_invalid', "Custom attribute 'tier' does not exist")),
      ).updateContact('c1', { custom_attributes: { tier: 'gold' } }),
    );
    expect((error as IntercomHttpError).missingAttribute).toBe('tier');
  });

  it('keeps a 5xx with a non-JSON body as an http failure', async () => {
    const error = await caught(client(() => new Response('Bad gateway', { status: 502 })).getMe());
    expect(error.toFailure()).toEqual({ kind: 'http', status: 502, code: 'unknown', message: 'Bad gateway' });
  });

  it('does not follow redirects', async () => {
    const { fetch, calls } = fakeFetch(
      () => new Response(null, { status: 302, headers: { Location: 'http://evil' } }),
    );
    const error = await caught(
      new IntercomClient({ accessToken: TOKEN, apiBaseUrl: 'http://h', fetch }).getMe(),
    );
    expect(error).toBeInstanceOf(IntercomHttpError);
    expect(calls).toHaveLength(1);
  });
});

describe('IntercomClient transport failures', () => {
  it('times out with IntercomTimeoutError when no answer comes within timeoutMs', async () => {
    vi.useFakeTimers();
    const fetch: FetchFunction = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          reject(new DOMException('aborted', 'AbortError'));
        });
      });
    const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: 'http://h', timeoutMs: 5000, fetch });
    const pending = caught(client.getMe());
    await vi.advanceTimersByTimeAsync(4999);
    let settled = false;
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await pending;
    expect(error).toBeInstanceOf(IntercomTimeoutError);
    expect(error.toFailure()).toEqual({ kind: 'timeout', timeoutMs: 5000 });
  });

  it('reports a connection reset as IntercomNetworkError with the cause code', async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'ECONNRESET' });
    const fetch: FetchFunction = () => Promise.reject(new TypeError('fetch failed', { cause: reset }));
    const error = await caught(
      new IntercomClient({ accessToken: TOKEN, apiBaseUrl: 'http://h', fetch }).getMe(),
    );
    expect(error).toBeInstanceOf(IntercomNetworkError);
    expect(error.toFailure()).toEqual({ kind: 'network', message: 'ECONNRESET: other side closed' });
  });

  it('never puts the token in error messages or failures', async () => {
    const leaky = new TypeError(`invalid header value Bearer ${TOKEN}`);
    const network = await caught(
      new IntercomClient({
        accessToken: TOKEN,
        apiBaseUrl: 'http://h',
        fetch: () => Promise.reject(leaky),
      }).getMe(),
    );
    const echoed = await caught(
      new IntercomClient({
        accessToken: TOKEN,
        apiBaseUrl: 'http://h',
        fetch: () => Promise.resolve(json(401, errorList('unauthorized', `bad token ${TOKEN}`))),
      }).getMe(),
    );
    for (const error of [network, echoed]) {
      expect(error.message).not.toContain(TOKEN);
      expect(JSON.stringify(error.toFailure())).not.toContain(TOKEN);
      expect(error.cause).toBeUndefined();
    }
    expect(network.message).toContain('[redacted]');
  });
});
