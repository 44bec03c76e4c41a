import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** Posts like analytics.js: text/plain (no CORS preflight), writeKey in the body. */
function postLikeAnalyticsJs(url: string, body: object, gzip = false): Promise<Response> {
  const json = JSON.stringify({ ...body, writeKey: WRITE_KEY, sentAt: new Date().toISOString() });
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: gzip ? gzipSync(json) : json,
  });
}

describe('analytics.js-style requests (I-1, I-2)', () => {
  it('delivers /v1/i and /v1/t sent as text/plain with the write key in the body, plain and gzipped', async () => {
    service = await startTestService();
    const identify = await postLikeAnalyticsJs(`${service.ingestUrl}/v1/i`, {
      type: 'identify',
      messageId: 'ajs-1',
      userId: 'web-user',
      anonymousId: 'anon-1',
      traits: { email: 'web@example.com', name: 'Web User' },
    });
    expect(identify.status).toBe(200);
    const track = await postLikeAnalyticsJs(
      `${service.ingestUrl}/v1/t`,
      {
        type: 'track',
        messageId: 'ajs-2',
        userId: 'web-user',
        anonymousId: 'anon-1',
        event: 'Viewed Pricing',
        properties: { tier: 'gold', seats: 3 },
      },
      true,
    );
    expect(track.status).toBe(200);

    const sandbox = service.sandbox!;
    const state = await eventually(
      () => {
        const s = sandbox.state();
        return s.events.length === 1 ? s : undefined;
      },
      10_000,
      'the analytics.js track delivered',
    );
    expect(state.contacts).toMatchObject([
      { external_id: 'web-user', email: 'web@example.com', name: 'Web User' },
    ]);
    expect(state.events[0]).toMatchObject({ event_name: 'Viewed Pricing', user_id: 'web-user' });
    expect(state.events[0]!.metadata).toMatchObject({ tier: 'gold', seats: 3 });
    expect(sandbox.violations()).toEqual([]);
  });
});
