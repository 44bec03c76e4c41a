import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../src/sandbox/store.js';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function send(batch: readonly object[]): Promise<void> {
  const response = await fetch(`${service!.ingestUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

/** Waits until the store has nothing left to deliver, then returns the sandbox's state. */
async function settled(until: (s: SandboxState) => boolean): Promise<SandboxState> {
  const sandbox = service!.sandbox!;
  await eventually(() => (until(sandbox.state()) ? true : undefined), 15_000, 'delivery');
  await eventually(
    async () => {
      const health = (await (await fetch(`${service!.ingestUrl}/health`)).json()) as {
        destinations: { pending: number; parked: number }[];
      };
      return health.destinations.every((d) => d.pending === 0 && d.parked === 0) ? true : undefined;
    },
    15_000,
    'an empty queue',
  );
  expect(sandbox.violations()).toEqual([]);
  return sandbox.state();
}

const T0 = '2024-03-01T12:00:00.000Z';
const T0_SECONDS = Date.UTC(2024, 2, 1, 12) / 1000;

describe('rule groups end to end against the sandbox, zero OpenAPI violations', () => {
  it('identify: C-ID-1..8 (names, dates in seconds, scalar custom attributes, no avatar, last seen, user agent and ip, unsubscribe)', async () => {
    service = await startTestService();
    await send([
      {
        type: 'identify',
        messageId: 'rg-id-1',
        userId: 'rg-user',
        timestamp: T0,
        traits: {
          email: 'rg@example.com',
          phone: '+44 20 7946 0000',
          firstName: 'Mary',
          lastName: 'Jackson',
          createdAt: 1_700_000_000_000,
          avatar: 'https://example.com/a.png',
          seats: 12,
          trial: true,
          'bad.key': 'dropped',
          address: { city: 'Hampton' },
          renewal_date: '2025-01-31T00:00:00Z',
        },
        context: {
          ip: '203.0.113.9',
          userAgent: 'Mozilla/5.0 Test',
          Intercom: { unsubscribedFromEmails: false },
        },
      },
    ]);
    const state = await settled((s) => s.contacts.length === 1);
    const contact = state.contacts[0]!;
    expect(contact).toMatchObject({
      external_id: 'rg-user',
      email: 'rg@example.com',
      phone: '+44 20 7946 0000',
      name: 'Mary Jackson',
      signed_up_at: 1_700_000_000,
      last_seen_at: T0_SECONDS,
      avatar: null,
      unsubscribed_from_emails: false,
    });
    expect(contact.custom_attributes).toEqual({
      seats: 12,
      trial: true,
      renewal_date: Date.UTC(2025, 0, 31) / 1000,
      last_seen_user_agent: 'Mozilla/5.0 Test',
      last_seen_ip: '203.0.113.9',
    });
    const types = Object.fromEntries(
      state.data_attributes.filter((a) => a.custom).map((a) => [a.name, a.data_type]),
    );
    expect(types).toMatchObject({ seats: 'integer', trial: 'boolean', last_seen_ip: 'string' });
  });

  it('companies: C-ID-9 string company hashed like Segment, C-ID-10 companies array, C-ID-11 remove detaches', async () => {
    service = await startTestService();
    await send([
      {
        type: 'identify',
        messageId: 'rg-co-1',
        userId: 'co-user',
        timestamp: T0,
        traits: {
          company: 'Segment',
          companies: [{ id: 'initech', name: 'Initech', monthlySpend: 99.9, employees: 40 }],
        },
      },
    ]);
    let state = await settled((s) => s.attachments.length === 2);
    const segment = state.companies.find((c) => c.company_id === '2017828326');
    expect(segment).toMatchObject({ name: 'Segment' });
    expect(state.companies.find((c) => c.company_id === 'initech')).toMatchObject({
      name: 'Initech',
      monthly_spend: 99,
      size: 40,
    });

    await send([
      {
        type: 'identify',
        messageId: 'rg-co-2',
        userId: 'co-user',
        timestamp: T0,
        traits: { companies: [{ id: 'initech', remove: true }] },
      },
    ]);
    state = await settled((s) => s.attachments.length === 1);
    expect(state.attachments).toEqual([{ contact_id: state.contacts[0]!.id, company_id: segment!.id }]);
  });

  it('track: C-TR-1..5 (created_at, "$12.50" → 1250 cents, booleans as strings, rich links, metadata key budget)', async () => {
    service = await startTestService({
      INTERCOM_RICH_LINK_PROPERTIES: 'article',
      INTERCOM_MAX_EVENT_METADATA_KEYS: '4',
    });
    await send([
      { type: 'identify', messageId: 'rg-tr-0', userId: 'tr-user', traits: { email: 'tr@example.com' } },
      {
        type: 'track',
        messageId: 'rg-tr-1',
        userId: 'tr-user',
        event: 'Order Completed',
        timestamp: T0,
        properties: {
          revenue: '$12.50',
          currency: 'gbp',
          article: { url: 'https://example.com/a/1', value: 'Article one' },
          gift: true,
          nothing: null,
          items: [{ sku: 'x' }],
          coupon: 'SPRING',
          extra_one: 1,
          extra_two: 2,
        },
      },
    ]);
    const state = await settled((s) => s.events.length === 1);
    const event = state.events[0]!;
    expect(event.created_at).toBe(T0_SECONDS);
    expect(event.metadata).toEqual({
      price: { amount: 1250, currency: 'gbp' },
      article: { url: 'https://example.com/a/1', value: 'Article one' },
      gift: 'true',
      coupon: 'SPRING',
    });
  });

  it('group: C-GR-1..3 (company fields, integer monthly spend, attach, last seen from the group)', async () => {
    service = await startTestService();
    await send([
      {
        type: 'identify',
        messageId: 'rg-gr-0',
        userId: 'gr-user',
        timestamp: '2024-01-01T00:00:00Z',
        traits: { email: 'gr@example.com' },
      },
      {
        type: 'group',
        messageId: 'rg-gr-1',
        userId: 'gr-user',
        groupId: 'globex',
        timestamp: T0,
        traits: {
          name: 'Globex',
          plan: 'gold',
          monthlySpend: 1234.99,
          size: 250,
          website: 'https://globex.example',
          industry: 'Energy',
          createdAt: '2020-01-01T00:00:00Z',
          tier: 'a',
        },
      },
    ]);
    const state = await settled((s) => s.attachments.length === 1);
    expect(state.companies).toMatchObject([
      {
        company_id: 'globex',
        name: 'Globex',
        plan: 'gold',
        monthly_spend: 1234,
        size: 250,
        website: 'https://globex.example',
        industry: 'Energy',
        remote_created_at: Date.UTC(2020, 0, 1) / 1000,
        custom_attributes: { tier: 'a' },
      },
    ]);
    expect(state.contacts[0]!.last_seen_at).toBe(T0_SECONDS);
  });

  it('context: C-ID-12 collectContext copies device, OS and app into custom attributes', async () => {
    service = await startTestService({ INTERCOM_COLLECT_CONTEXT: 'true' });
    await send([
      {
        type: 'identify',
        messageId: 'rg-cx-1',
        userId: 'cx-user',
        timestamp: T0,
        context: {
          active: false,
          device: { type: 'ios', manufacturer: 'Apple', model: 'iPhone15,2' },
          os: { name: 'iOS', version: '17.2' },
          app: { name: 'Acme', version: '3.1.0' },
        },
      },
    ]);
    const state = await settled((s) => s.contacts.length === 1);
    expect(state.contacts[0]!.last_seen_at).toBeNull();
    expect(state.contacts[0]!.custom_attributes).toEqual({
      device_type: 'ios',
      device_manufacturer: 'Apple',
      device_model: 'iPhone15,2',
      os_name: 'iOS',
      os_version: '17.2',
      app_name: 'Acme',
      app_version: '3.1.0',
    });
  });
});
