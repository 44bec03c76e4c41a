import { Analytics } from '@segment/analytics-node';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe('end to end through @segment/analytics-node (C-RACE-1, I-1, I-5)', () => {
  it('delivers identify, track with revenue and group into the sandbox with zero OpenAPI violations', async () => {
    service = await startTestService();
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: service.ingestUrl,
      flushAt: 10,
      maxRetries: 1,
    });
    analytics.identify({
      userId: 'user-1',
      traits: {
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        createdAt: '2024-03-01T12:00:00.000Z',
        plan: 'pro',
      },
    });
    analytics.track({
      userId: 'user-1',
      event: 'Order Completed',
      properties: { revenue: 19.99, currency: 'eur', orderId: 'o-1' },
      timestamp: new Date('2024-05-01T10:00:00.000Z'),
    });
    analytics.group({
      userId: 'user-1',
      groupId: 'acme-1',
      traits: { name: 'Acme', plan: 'enterprise', employees: 120 },
    });
    await analytics.closeAndFlush();

    const sandbox = service.sandbox!;
    const state = await eventually(
      () => {
        const s = sandbox.state();
        return s.events.length === 1 && s.attachments.length === 1 ? s : undefined;
      },
      15_000,
      'identify, track and group delivered',
    );

    expect(state.contacts).toHaveLength(1);
    const contact = state.contacts[0]!;
    expect(contact).toMatchObject({
      external_id: 'user-1',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'user',
      signed_up_at: Date.UTC(2024, 2, 1, 12) / 1000,
    });
    expect(contact.custom_attributes['plan']).toBe('pro');

    const event = state.events[0]!;
    expect(event.event_name).toBe('Order Completed');
    expect(event.created_at).toBe(Date.UTC(2024, 4, 1, 10) / 1000);
    expect(event.user_id).toBe('user-1');
    expect(event.metadata['price']).toEqual({ amount: 1999, currency: 'eur' });

    expect(state.companies).toHaveLength(1);
    const company = state.companies[0]!;
    expect(company).toMatchObject({ company_id: 'acme-1', name: 'Acme', plan: 'enterprise', size: 120 });
    expect(state.attachments).toEqual([{ contact_id: contact.id, company_id: company.id }]);

    expect(sandbox.violations()).toEqual([]);
  });

  it('delivers the same batch sent twice only once (I-5)', async () => {
    service = await startTestService();
    const batch = {
      batch: [
        { type: 'identify', messageId: 'm-1', userId: 'user-2', traits: { email: 'bo@example.com' } },
        {
          type: 'track',
          messageId: 'm-2',
          userId: 'user-2',
          event: 'Signed In',
          timestamp: '2024-01-01T00:00:00Z',
        },
      ],
      sentAt: new Date().toISOString(),
    };
    const send = (): Promise<Response> =>
      fetch(`${service!.ingestUrl}/v1/batch`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
          'x-retry-count': '1',
        },
        body: JSON.stringify(batch),
      });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);

    const sandbox = service.sandbox!;
    await eventually(
      () => (sandbox.state().events.length === 1 ? true : undefined),
      10_000,
      'the track delivered',
    );
    // Give a duplicate delivery time to show up before asserting there is none.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const posts = sandbox.requests().filter((r) => r.method === 'POST' && r.path === '/events');
    expect(posts).toHaveLength(1);
    expect(sandbox.state().contacts).toHaveLength(1);
    const contactWrites = sandbox
      .requests()
      .filter((r) => r.path.startsWith('/contacts') && r.method !== 'GET' && r.path !== '/contacts/search');
    expect(contactWrites.length).toBe(1);
  });
});
