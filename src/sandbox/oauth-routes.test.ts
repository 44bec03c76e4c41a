import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes, type TestSandbox } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function decide(t: TestSandbox, decision: 'allow' | 'deny'): Promise<URL> {
  const answer = await t.sandbox.app.inject({
    method: 'POST',
    url: '/oauth/decision',
    headers: FORM,
    payload: new URLSearchParams({
      client_id: 'app-1',
      state: 's-1',
      redirect_uri: 'https://console.example/cb',
      decision,
    }).toString(),
  });
  expect(answer.statusCode).toBe(302);
  return new URL(String(answer.headers.location));
}

async function exchange(t: TestSandbox, code: string, clientId = 'app-1') {
  return t.call(
    'POST',
    '/auth/eagle/token',
    new URLSearchParams({ code, client_id: clientId, client_secret: 's' }).toString(),
    FORM,
  );
}

describe('the sandbox’s OAuth endpoints', () => {
  it('shows an authorize page with Allow and Deny for the workspace', async () => {
    const t = await start({ appId: 'ws-9' });
    const page = await t.sandbox.app.inject({
      method: 'GET',
      url: '/oauth?client_id=app-1&state=s-1&redirect_uri=https%3A%2F%2Fconsole.example%2Fcb',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="allow"');
    expect(page.body).toContain('id="deny"');
    expect(page.body).toContain('ws-9');
  });

  it('Allow gives a one-time code whose token works until it is revoked', async () => {
    const t = await start();
    const back = await decide(t, 'allow');
    expect(back.searchParams.get('state')).toBe('s-1');
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/=$/);
    const answer = await exchange(t, code);
    expect(answer.status).toBe(200);
    const token = String(answer.json['token']);
    expect(answer.json).toEqual({ token_type: 'Bearer', token, access_token: token });
    expect((await exchange(t, code)).status).toBe(401);

    const me = await t.call('GET', '/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(t.sandbox.requests().at(-1)?.credential).toBe('oauth-1');
    const revoke = await t.call('POST', '/auth/uninstall', {}, { authorization: `Bearer ${token}` });
    expect(revoke.status).toBe(200);
    const after = await t.call('GET', '/me', undefined, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    expect(after.json).toMatchObject({ errors: [{ code: 'token_revoked' }] });
  });

  it('Deny sends the browser back with error=access_denied and no code', async () => {
    const t = await start();
    const back = await decide(t, 'deny');
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('refuses a code issued to another client', async () => {
    const t = await start();
    const code = (await decide(t, 'allow')).searchParams.get('code') ?? '';
    expect((await exchange(t, code, 'app-2')).status).toBe(401);
  });
});
