/**
 * `npm start`'s path: sandbox mode with an OAuth client set, where the in-process sandbox plays
 * Intercom's OAuth pages, so "Connect Intercom" works on one machine; and the refusal to store a token
 * without SECRET_KEY.
 */
import { describe, expect, it } from 'vitest';
import { eventually, startTestService } from '../e2e/harness.js';
import { ADMIN_TOKEN, identify, OAUTH_CLIENT, SECRET_KEY, sendBatch } from './console-fixture.js';
import { connectHttp, signInHttp } from './console-http.js';

describe('OAuth in sandbox mode', () => {
  it('connects through the in-process sandbox and delivers the events that waited', async () => {
    const service = await startTestService({ ADMIN_TOKEN, SECRET_KEY, ...OAUTH_CLIENT });
    try {
      expect(await sendBatch(service.ingestUrl, [identify('sandbox-oauth', 'so-1')])).toBe(200);
      const { cookie } = await signInHttp(service.ingestUrl);
      const connect = await fetch(`${service.ingestUrl}/console/oauth/default/connect`, {
        redirect: 'manual',
        headers: { cookie },
      });
      expect(connect.headers.get('location')).toMatch(
        new RegExp(`^${service.sandboxUrl!}/oauth\\?client_id=console-test-app&`),
      );
      const answer = await connectHttp(service.ingestUrl, cookie);
      expect(answer.headers.get('location')).toBe('/console?notice=connected');
      const contact = await eventually(
        () => service.sandbox!.state().contacts.find((c) => c.external_id === 'sandbox-oauth'),
        15_000,
        'the waiting identify delivered',
      );
      expect(contact).toBeDefined();
      expect(service.sandbox!.requests().some((r) => r.credential === 'oauth-1')).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('refuses to start connecting without SECRET_KEY, and says why', async () => {
    const service = await startTestService({ ADMIN_TOKEN, ...OAUTH_CLIENT });
    try {
      const { cookie } = await signInHttp(service.ingestUrl);
      const connect = await fetch(`${service.ingestUrl}/console/oauth/default/connect`, {
        redirect: 'manual',
        headers: { cookie },
      });
      expect(connect.headers.get('location')).toBe('/console?notice=no_secret_key');
      const page = await (
        await fetch(`${service.ingestUrl}/console?notice=no_secret_key`, { headers: { cookie } })
      ).text();
      expect(page).toContain('Tokens cannot be stored: set SECRET_KEY');
    } finally {
      await service.close();
    }
  });
});
