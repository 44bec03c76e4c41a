import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FetchFunction } from './client.js';
import { IntercomClient } from './client.js';
import { IntercomNetworkError, IntercomTimeoutError } from './errors.js';
import { TOKEN, errorList, json } from './fake-fetch-fixture.js';
import { caught } from './rejection-fixture.js';

afterEach(() => {
  vi.useRealTimers();
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
