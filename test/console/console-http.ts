import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_TOKEN } from './console-fixture.js';

/** The cookie (name=value) a response sets, by name. */
export function setCookie(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .find((c) => c.startsWith(`${name}=`));
}

/** Signs in over HTTP as the form does; resolves to the session cookie and the page's CSRF token. */
export async function signInHttp(
  consoleUrl: string,
  token = ADMIN_TOKEN,
): Promise<{ cookie: string; csrf: string }> {
  const form = await fetch(`${consoleUrl}/console/sign-in`);
  const pre = setCookie(form, 'console_pre') ?? '';
  const formCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const answer = await fetch(`${consoleUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: formCsrf, token }).toString(),
  });
  const cookie = setCookie(answer, 'console_session') ?? '';
  const page = await (await fetch(`${consoleUrl}/console`, { headers: { cookie } })).text();
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)?.[1] ?? '';
  return { cookie, csrf };
}

/**
 * A token endpoint in front of the sandbox's that remembers the tokens it handed out, so a test can
 * look for them where they must not be (pages, JSON, the database file).
 */
export async function startTokenRecorder(
  sandboxTokenUrl: string,
): Promise<{ readonly url: string; readonly tokens: string[]; close(): Promise<void> }> {
  const tokens: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const upstream = await fetch(sandboxTokenUrl, {
          method: 'POST',
          headers: { 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
          body: Buffer.concat(chunks),
        });
        const text = await upstream.text();
        const token = (JSON.parse(text) as { token?: string }).token;
        if (token !== undefined) tokens.push(token);
        response.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/auth/eagle/token`,
    tokens,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs the OAuth dance over HTTP: Connect, the sandbox's Allow, the callback; resolves to the callback's answer. */
export async function connectHttp(
  consoleUrl: string,
  cookie: string,
  change: (callback: URL) => void = () => undefined,
): Promise<Response> {
  const connect = await fetch(`${consoleUrl}/console/oauth/default/connect`, {
    redirect: 'manual',
    headers: { cookie },
  });
  const authorize = new URL(connect.headers.get('location') ?? '');
  const decision = await fetch(new URL('/oauth/decision', authorize), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: authorize.searchParams.get('client_id') ?? '',
      state: authorize.searchParams.get('state') ?? '',
      redirect_uri: authorize.searchParams.get('redirect_uri') ?? '',
      decision: 'allow',
    }).toString(),
  });
  const callback = new URL(decision.headers.get('location') ?? '');
  change(callback);
  return fetch(callback, { redirect: 'manual', headers: { cookie } });
}
