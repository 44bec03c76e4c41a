import type { FetchFunction } from './client.js';

/** The access token of the test clients (never to appear in errors). */
export const TOKEN = 'tok_secret_123';

/** One request the fake fetch received. */
export interface Recorded {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
}

/** A fake fetch answering every call with `answer` and recording what was sent. */
export function fakeFetch(answer: () => Response): { fetch: FetchFunction; calls: Recorded[] } {
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

/** A JSON answer with this status and headers. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Intercom's `error.list` body with one error. */
export function errorList(code: string, message: string): unknown {
  return { type: 'error.list', request_id: 'req-9', errors: [{ code, message }] };
}

/** Rate-limit headers of a normal answer. */
export const RATE = {
  'X-RateLimit-Limit': '167',
  'X-RateLimit-Remaining': '100',
  'X-RateLimit-Reset': '1764355810',
};

/** A contact as Intercom answers it. */
export const CONTACT = { type: 'contact', id: 'c1', external_id: 'u1', email: 'a@example.com', role: 'user' };
