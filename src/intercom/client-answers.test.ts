import { describe, expect, it } from 'vitest';
import { IntercomClient } from './client.js';
import { IntercomHttpError, IntercomResponseError } from './errors.js';
import { CONTACT, RATE, TOKEN, errorList, fakeFetch, json } from './fake-fetch-fixture.js';
import { caught } from './rejection-fixture.js';

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
