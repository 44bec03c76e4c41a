/**
 * The console's defences over real HTTP against a running `serve` and the sandbox: no route without a
 * session, no state change without the CSRF token, no secret in any page or JSON, the OAuth token
 * unreadable in the database file, a wrong `state` refused, failed sign-ins rate limited.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startTestService, type TestService, validator, WRITE_KEY } from '../e2e/harness.js';
import { ADMIN_TOKEN, OAUTH_CLIENT, SECRET_KEY } from './console-fixture.js';
import { connectHttp, setCookie, signInHttp, startTokenRecorder } from './console-http.js';

let sandbox: Sandbox;
let service: TestService;
let recorder: Awaited<ReturnType<typeof startTokenRecorder>>;
let url: string;

beforeAll(async () => {
  sandbox = await createSandbox({ validator: await validator(), appId: 'sec-workspace' });
  const apiUrl = await sandbox.listen();
  recorder = await startTokenRecorder(`${apiUrl}/auth/eagle/token`);
  service = await startTestService({
    ADMIN_TOKEN,
    SECRET_KEY,
    ...OAUTH_CLIENT,
    INTERCOM_API_URL: apiUrl,
    INTERCOM_OAUTH_AUTHORIZE_URL: `${apiUrl}/oauth`,
    INTERCOM_OAUTH_TOKEN_URL: recorder.url,
  });
  url = service.ingestUrl;
});
afterAll(async () => {
  await service?.close();
  await recorder?.close();
  await sandbox?.close();
});

const API_POSTS = [
  '/console/api/dead-letters/redrive',
  '/console/api/dead-letters/purge',
  '/console/api/destinations/default/pause',
  '/console/api/destinations/default/resume',
  '/console/api/destinations/default/disconnect',
  '/console/api/doctor',
];

describe('the console refuses without a session', () => {
  it.each<readonly [string, string]>([
    ['GET', '/console'],
    ['GET', '/console/api/overview'],
    ['GET', '/console/api/dead-letters'],
    ['GET', '/console/api/dead-letters/1'],
    ['GET', '/console/assets/console.js'],
    ['GET', '/console/assets/uplot.js'],
    ['GET', '/console/oauth/default/connect'],
    ['GET', '/console/oauth/callback?code=x&state=y&resumed=1'],
    ['POST', '/console/sign-out'],
    ...API_POSTS.map((p) => ['POST', p] as const),
  ])('%s %s answers 401 or sends to the sign-in page', async (method, route) => {
    const response = await fetch(`${url}${route}`, {
      method,
      redirect: 'manual',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'anything' },
      ...(method === 'POST' ? { body: '{"reason":"rejected"}' } : {}),
    });
    if (response.status === 303) expect(response.headers.get('location')).toBe('/console/sign-in');
    else expect(response.status).toBe(401);
  });

  it('does not take a forged or tampered session cookie', async () => {
    const { cookie } = await signInHttp(url);
    const tampered = cookie.replace(/\.(\d+)\./, (_m, exp: string) => `.${Number(exp) + 1000}.`);
    expect((await fetch(`${url}/console/api/overview`, { headers: { cookie: tampered } })).status).toBe(401);
  });
});

describe('CSRF', () => {
  it.each(API_POSTS)('POST %s without the CSRF token is 403 and changes nothing', async (route) => {
    const { cookie } = await signInHttp(url);
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: '{"reason":"rejected"}',
    });
    expect(response.status).toBe(403);
    const wrong = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': 'not-the-token' },
      body: '{"reason":"rejected"}',
    });
    expect(wrong.status).toBe(403);
  });

  it('the sign-in form without its CSRF token is 403, even with the right admin token', async () => {
    const response = await fetch(`${url}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(response.status).toBe(403);
    expect(setCookie(response, 'console_session')).toBeUndefined();
  });

  it('the session cookie is HttpOnly and SameSite=Strict', async () => {
    const form = await fetch(`${url}/console/sign-in`);
    expect(form.headers.getSetCookie()[0]).toMatch(/HttpOnly; SameSite=Strict/);
  });
});

describe('OAuth state and secrets', () => {
  it('refuses an answer whose state was changed, and stores no token', async () => {
    const { cookie } = await signInHttp(url);
    const answer = await connectHttp(url, cookie, (callback) =>
      callback.searchParams.set('state', `${callback.searchParams.get('state') ?? ''}x`),
    );
    expect(answer.headers.get('location')).toBe('/console?notice=state_mismatch');
    expect(recorder.tokens).toEqual([]);
  });

  it('never shows a token, key or secret in the page, its script or its JSON, and seals the stored token', async () => {
    const { cookie, csrf } = await signInHttp(url);
    const answer = await connectHttp(url, cookie);
    expect(answer.headers.get('location')).toBe('/console?notice=connected');
    const [token] = recorder.tokens;
    expect(token).toBeDefined();
    const texts = await Promise.all(
      ['/console', '/console/api/overview', '/console/api/dead-letters', '/console/assets/console.js'].map(
        async (route) => (await fetch(`${url}${route}`, { headers: { cookie } })).text(),
      ),
    );
    const doctor = await fetch(`${url}/console/api/doctor`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    texts.push(await doctor.text());
    for (const text of texts) {
      for (const secret of [
        token!,
        ADMIN_TOKEN,
        SECRET_KEY,
        OAUTH_CLIENT.INTERCOM_CLIENT_SECRET,
        WRITE_KEY,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
    // At most the last four characters.
    expect(texts[1]).toContain(`"hint":"${token!.slice(-4)}"`);
    const files = readdirSync(service.dataDir).map((f) => readFileSync(path.join(service.dataDir, f)));
    for (const bytes of files) expect(bytes.includes(Buffer.from(token!))).toBe(false);
    const db = new Database(path.join(service.dataDir, 'delivery.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    try {
      const row = db.prepare('SELECT sealed FROM intercom_tokens').get() as { sealed: string } | undefined;
      expect(row?.sealed).toMatch(/^v1\./);
    } finally {
      db.close();
    }
  });
});

describe('sign-in', () => {
  it('rate limits failed sign-ins from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const form = await fetch(`${url}/console/sign-in`);
      const pre = setCookie(form, 'console_pre') ?? '';
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const response = await fetch(`${url}/console/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, token: `wrong-${i}` }).toString(),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});

describe('without ADMIN_TOKEN', () => {
  it('the console is off and says how to turn it on', async () => {
    const off = await startTestService();
    try {
      const response = await fetch(`${off.ingestUrl}/console`);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('ADMIN_TOKEN');
      expect((await fetch(`${off.ingestUrl}/console/api/overview`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
