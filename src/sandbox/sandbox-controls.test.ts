import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import { createSandbox } from './sandbox.js';
import { SandboxConfigError } from './sandbox-error.js';
import { TEST_TOKEN, type TestSandbox, createTestSandbox } from './sandbox-fixture.js';

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

describe('bearer auth', () => {
  it.each([
    ['no Authorization header', {}],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['Basic auth', { authorization: 'Basic dXNlcjo=' }],
  ])('401 error.list for %s, without rate-limit headers', async (_name, headers) => {
    const t = await start();
    const r = await t.call('GET', '/me', undefined, { authorization: '', ...headers });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({
      type: 'error.list',
      errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }],
    });
    expect(r.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it('accepts any non-empty token by default', async () => {
    const t = await start();
    expect((await t.call('GET', '/me', undefined, { authorization: 'Bearer anything' })).status).toBe(200);
  });

  it('accepts only the configured token when one is set', async () => {
    const t = await start({ token: TEST_TOKEN });
    expect((await t.call('GET', '/me')).status).toBe(200);
    expect((await t.call('GET', '/me', undefined, { authorization: 'Bearer other' })).status).toBe(401);
  });

  it('never records the token in the request log or state', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    expect(JSON.stringify(t.sandbox.requests())).not.toContain(TEST_TOKEN);
    expect(JSON.stringify(t.sandbox.state())).not.toContain(TEST_TOKEN);
  });
});

describe('rate limiting (per 10-second window)', () => {
  it('sends the three X-RateLimit headers on authenticated answers', async () => {
    const t = await start();
    const r = await t.call('GET', '/me');
    expect(r.headers['x-ratelimit-limit']).toBe('1000');
    expect(r.headers['x-ratelimit-remaining']).toBe('999');
    expect(r.headers['x-ratelimit-reset']).toBe('1700000010');
  });

  it('answers 429 rate_limit_exceeded past the limit, and allows again in the next window', async () => {
    const t = await start({ rateLimit: { limit: 2, windowMs: 10_000 } });
    expect((await t.call('GET', '/me')).status).toBe(200);
    expect((await t.call('GET', '/me')).headers['x-ratelimit-remaining']).toBe('0');
    const refused = await t.call('GET', '/me');
    expect(refused.status).toBe(429);
    expect(refused.json['errors']).toEqual([
      { code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 2 in 10_seconds' },
    ]);
    expect(refused.headers['x-ratelimit-reset']).toBe('1700000010');
    t.clock.advance(10_000);
    const again = await t.call('GET', '/me');
    expect(again.status).toBe(200);
    expect(again.headers['x-ratelimit-reset']).toBe('1700000020');
  });

  it('does not count the sandbox control routes', async () => {
    const t = await start({ rateLimit: { limit: 1, windowMs: 10_000 } });
    await t.sandbox.app.inject({ method: 'GET', url: '/sandbox/state' });
    expect((await t.call('GET', '/me')).status).toBe(200);
  });
});

describe('fault injection', () => {
  it('answers the configured error status at errorRate, using the injected random source', async () => {
    const draws = [0.1, 0.9];
    const t = await start({ random: () => draws.shift() ?? 1, faults: { errorRate: 0.5, errorStatus: 503 } });
    const failed = await t.call('GET', '/me');
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ type: 'error.list', errors: [{ code: 'service_unavailable' }] });
    expect((await t.call('GET', '/me')).status).toBe(200);
    expect(t.sandbox.requests().map((r) => r.fault ?? null)).toEqual(['error', null]);
  });

  it('adds latency through the injected sleep', async () => {
    const slept: number[] = [];
    const t = await start({ sleep: (ms: number) => (slept.push(ms), Promise.resolve()) });
    t.sandbox.setFaults({ latencyMs: 250 });
    expect((await t.call('GET', '/me')).status).toBe(200);
    expect(slept).toEqual([250]);
  });

  it('is set and read through POST/GET /sandbox/faults, which check their input', async () => {
    const t = await start({ random: () => 0 });
    const bad = await t.sandbox.app.inject({
      method: 'POST',
      url: '/sandbox/faults',
      payload: { errorRate: 2 },
    });
    expect(bad.statusCode).toBe(400);
    const good = await t.sandbox.app.inject({
      method: 'POST',
      url: '/sandbox/faults',
      payload: { errorRate: 1 },
    });
    expect(good.json()).toEqual({ errorRate: 1, errorStatus: 500, latencyMs: 0, dropRate: 0 });
    expect((await t.call('GET', '/me')).status).toBe(500);
    expect((await t.sandbox.app.inject({ method: 'GET', url: '/sandbox/state' })).statusCode).toBe(200);
  });

  it('setFaults refuses out-of-range values with a typed error', async () => {
    const t = await start();
    expect(() => t.sandbox.setFaults({ dropRate: -1 })).toThrow(SandboxConfigError);
  });
});

describe('request validation and the request log', () => {
  it('reports an ISO string signed_up_at as a violation (openapi and semantic) without rejecting it', async () => {
    const t = await start();
    const r = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      signed_up_at: '2024-01-01T00:00:00Z',
    });
    expect(r.status).toBe(200);
    const [request] = t.sandbox.requests();
    expect(request!.violations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'openapi', path: '/requestBody/signed_up_at' }),
        expect.objectContaining({ source: 'semantic', path: '/requestBody/signed_up_at' }),
      ]),
    );
  });

  it('reports a nested object in custom_attributes as a semantic violation (and Intercom refuses it)', async () => {
    const t = await start();
    const r = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      custom_attributes: { address: { city: 'Paris' } },
    });
    expect(r.status).toBe(400);
    expect(t.sandbox.violations()).toEqual([
      expect.objectContaining({
        source: 'semantic',
        path: '/requestBody/custom_attributes/address',
        method: 'POST',
        requestPath: '/contacts',
      }),
    ]);
  });

  it('reports a missing created_at on an event as a violation', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    const r = await t.call('POST', '/events', { event_name: 'x', user_id: 'u1' });
    expect(r.status).toBe(202);
    const last = t.sandbox.requests().at(-1)!;
    expect(last).toMatchObject({ method: 'POST', path: '/events', status: 202 });
    expect(last.violations.some((v) => v.source === 'openapi' && v.message.includes('created_at'))).toBe(
      true,
    );
    // anyOf repeats the message per branch; it is reported once.
    expect(
      last.violations.filter((v) => v.message === "must have required property 'created_at'"),
    ).toHaveLength(1);
  });

  it('reports millisecond dates as violations', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', last_seen_at: 1_700_000_000_000 });
    expect(t.sandbox.violations()).toEqual([
      expect.objectContaining({
        source: 'semantic',
        message: expect.stringMatching(/milliseconds/) as unknown,
      }),
    ]);
  });

  it('records correct requests with no violations, and their status and time', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', signed_up_at: 1_600_000_000 });
    expect(t.sandbox.requests()).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/contacts',
        status: 200,
        violations: [],
        time: 1_700_000_000_000,
      }),
    ]);
  });

  it('records unknown routes with a route violation and answers 404', async () => {
    const t = await start();
    const r = await t.call('POST', '/users', { user_id: 'u1' });
    expect(r.status).toBe(404);
    expect(t.sandbox.violations()).toEqual([expect.objectContaining({ path: 'route' })]);
  });

  it('answers invalid JSON with 400 error.list', async () => {
    const t = await start();
    const r = await t.call('POST', '/contacts', '{"role":');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ type: 'error.list', errors: [{ code: 'bad_request' }] });
  });

  it('accepts a DELETE with a JSON content type and no body', async () => {
    const t = await start();
    const contact = (await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' })).json[
      'id'
    ] as string;
    const company = (await t.call('POST', '/companies', { company_id: 'acme' })).json['id'] as string;
    const r = await t.call('DELETE', `/contacts/${contact}/companies/${company}`, undefined, {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
  });
});

describe('inspection API', () => {
  it('GET /sandbox/state, /sandbox/requests?violations=1 and /sandbox/violations', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u2', signed_up_at: '2024-01-01' });
    const state = await t.sandbox.app.inject({ method: 'GET', url: '/sandbox/state' });
    expect(state.json<{ contacts: unknown[] }>().contacts).toHaveLength(2);
    const withViolations = await t.sandbox.app.inject({
      method: 'GET',
      url: '/sandbox/requests?violations=1',
    });
    expect(withViolations.json<{ body: { external_id: string } }[]>().map((r) => r.body.external_id)).toEqual(
      ['u2'],
    );
    const violations = await t.sandbox.app.inject({ method: 'GET', url: '/sandbox/violations' });
    expect(violations.json<unknown[]>().length).toBeGreaterThan(0);
  });

  it('POST /sandbox/reset empties state, log and rate-limit window', async () => {
    const t = await start({ rateLimit: { limit: 1, windowMs: 10_000 } });
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    await t.sandbox.app.inject({ method: 'POST', url: '/sandbox/reset' });
    expect(t.sandbox.state().contacts).toEqual([]);
    expect(t.sandbox.requests()).toEqual([]);
    const r = await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    expect(r.status).toBe(200);
    expect(r.json['id']).toBe('640000000000000000000001');
  });

  it('serves an HTML page listing contacts, companies and events, with values escaped', async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', name: '<b>Ada</b>' });
    await t.call('POST', '/companies', { company_id: 'acme', name: 'Acme & Co' });
    await t.call('POST', '/events', { event_name: 'signed-up', created_at: 1_700_000_000, user_id: 'u1' });
    for (const url of ['/', '/sandbox']) {
      const page = await t.sandbox.app.inject({ method: 'GET', url });
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('&#60;b&#62;Ada&#60;/b&#62;');
      expect(page.body).not.toContain('<b>Ada</b>');
      expect(page.body).toContain('Acme &#38; Co');
      expect(page.body).toContain('signed-up');
    }
  });

  it('lists the documented OpenAPI overrides', async () => {
    const t = await start();
    const r = await t.sandbox.app.inject({ method: 'GET', url: '/sandbox/openapi-overrides' });
    expect(r.json<{ schema: string }[]>().map((o) => o.schema)).toContain('create_data_event_request');
  });
});

describe('createSandbox options', () => {
  it('refuses invalid options with a SandboxConfigError', async () => {
    await expect(createSandbox({ validator, rateLimit: { limit: 10, windowMs: 0 } })).rejects.toThrow(
      SandboxConfigError,
    );
    await expect(createSandbox({ validator, token: '' })).rejects.toThrow(SandboxConfigError);
  });
});
