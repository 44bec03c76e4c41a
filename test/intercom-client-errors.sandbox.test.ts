/**
 * The Intercom client over real HTTP on loopback against the sandbox: each error class surfaced as a
 * typed error carrying what a retry policy needs, and the 429 of an exhausted rate-limit window.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IntercomClient } from '../src/intercom/client.js';
import { IntercomHttpError, IntercomNetworkError, IntercomTimeoutError } from '../src/intercom/errors.js';
import { caught } from '../src/intercom/rejection-fixture.js';
import type { Sandbox } from '../src/sandbox/sandbox.js';
import { NOW_MS, TOKEN, loopbackSandboxes } from './loopback-sandbox-fixture.js';

const { prepare, start, running, closeAll } = loopbackSandboxes();
beforeAll(prepare);
afterAll(closeAll);

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
