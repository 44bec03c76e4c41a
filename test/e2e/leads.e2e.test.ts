import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxContact, SandboxState } from '../../src/sandbox/store.js';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

// C-IDN-5 end to end: the whole product with contactRoleWithoutUserId = lead, delivering to the
// in-process sandbox over loopback.

const EMAIL = 'grace@example.com';
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

/** Waits until `check` holds on the sandbox's state and the queue is empty. */
async function settled(check: (s: SandboxState) => boolean, what: string): Promise<SandboxState> {
  const sandbox = service!.sandbox!;
  await eventually(() => (check(sandbox.state()) ? true : undefined), 20_000, what);
  await eventually(
    async () => {
      const health = (await (await fetch(`${service!.ingestUrl}/health`)).json()) as {
        destinations: { pending: number; parked: number }[];
      };
      return health.destinations.every((d) => d.pending === 0 && d.parked === 0) ? true : undefined;
    },
    20_000,
    'an empty queue',
  );
  expect(sandbox.violations()).toEqual([]);
  return sandbox.state();
}

const live = (s: SandboxState): SandboxContact[] => s.contacts.filter((c) => c.merged_into === null);

const anonymous = { anonymousId: 'anon-grace', timestamp: '2024-05-01T10:00:00.000Z' };
const leadIdentify = {
  ...anonymous,
  type: 'identify',
  messageId: 'lead-identify',
  traits: { email: EMAIL, plan: 'trial', source: 'ads' },
};
const leadTrack = {
  ...anonymous,
  type: 'track',
  messageId: 'lead-track',
  event: 'Pricing Viewed',
  properties: { email: EMAIL },
};
const laterLeadTrack = {
  ...anonymous,
  type: 'track',
  messageId: 'lead-track-2',
  event: 'Demo Booked',
  properties: { email: EMAIL },
  timestamp: '2024-05-01T10:05:00.000Z',
};
/** Email-only events sent in one batch with the identify that merges: their lane is busy for a while. */
const busyLeadLane = Array.from({ length: 12 }, (_, i) => ({
  ...anonymous,
  type: 'track',
  messageId: `lead-read-${i}`,
  event: 'Docs Read',
  properties: { email: EMAIL, page: i },
  timestamp: `2024-05-01T10:06:${String(i).padStart(2, '0')}.000Z`,
}));
const userIdentify = {
  type: 'identify',
  messageId: 'user-identify',
  userId: 'u-grace',
  timestamp: '2024-05-01T11:00:00.000Z',
  traits: { email: EMAIL, plan: 'pro' },
};

/** The lead from an email-only identify and track: a lead, with the attributes and the event. */
async function leadCreated(): Promise<SandboxContact> {
  await send([leadIdentify, leadTrack]);
  const state = await settled((s) => s.events.length === 1, 'the lead and its event');
  expect(live(state)).toHaveLength(1);
  const lead = live(state)[0]!;
  expect(lead).toMatchObject({
    role: 'lead',
    external_id: null,
    email: EMAIL,
    custom_attributes: { plan: 'trial', source: 'ads' },
  });
  expect(state.events[0]).toMatchObject({ event_name: 'Pricing Viewed', contact_id: lead.id });
  return lead;
}

/** One user holding the lead's attributes and events, and no lead left. */
function expectOneUserWithTheLeadsData(state: SandboxState): SandboxContact {
  expect(live(state)).toHaveLength(1);
  const user = live(state)[0]!;
  expect(user).toMatchObject({
    role: 'user',
    external_id: 'u-grace',
    email: EMAIL,
    custom_attributes: { plan: 'pro', source: 'ads' },
  });
  expect(state.contacts.filter((c) => c.role === 'lead' && c.merged_into === null)).toEqual([]);
  expect(state.events.map((e) => [e.event_name, e.contact_id])).toEqual([
    ['Pricing Viewed', user.id],
    ['Demo Booked', user.id],
  ]);
  return user;
}

describe('C-IDN-5 leads end to end on the sandbox', () => {
  it('C-IDN-5 a lead from an email-only identify is merged into the user when the email comes with a userId', async () => {
    // Search lags creation by more than the test lasts: the user is created beside the lead, then merged.
    service = await startTestService(
      { INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'lead' },
      { searchLagMs: 10 * 60_000 },
    );
    const lead = await leadCreated();
    // One batch, two lanes: the merging identify waits for the email-only tracks received before it.
    await send([laterLeadTrack, ...busyLeadLane, userIdentify]);
    const state = await settled((s) => s.events.length === 14 && live(s).length === 1, 'the merge');
    const user = live(state)[0]!;
    expect(user).toMatchObject({
      role: 'user',
      external_id: 'u-grace',
      custom_attributes: { plan: 'pro', source: 'ads' },
    });
    expect(user.id).not.toBe(lead.id);
    expect(state.contacts.filter((c) => c.role === 'lead' && c.merged_into === null)).toEqual([]);
    // The merge moved the lead's events over: the sandbox records them under the user now.
    expect(new Set(state.events.map((e) => `${e.contact_id} ${e.user_id}`))).toEqual(
      new Set([`${user.id} u-grace`]),
    );
    const requests = service.sandbox!.requests();
    const merges = requests.filter((r) => r.method === 'POST' && r.path === '/contacts/merge');
    expect(merges.map((r) => [r.status, r.body])).toEqual([[200, { from: lead.id, into: user.id }]]);
    // Every email-only track received before the identify reached the lead, by its id, before the merge.
    const leadEvents = requests.filter(
      (r) => r.path === '/events' && requests.indexOf(r) < requests.indexOf(merges[0]!),
    );
    expect(leadEvents.map((r) => (r.body as { id?: string }).id)).toEqual(
      Array.from({ length: 14 }, () => lead.id),
    );
    const gone = await fetch(`${service.sandboxUrl}/contacts/${lead.id}`, {
      headers: { authorization: 'Bearer sandbox-token' },
    });
    expect(gone.status).toBe(410);
  });

  it('C-IDN-5 when the email search already sees the lead, the lead itself becomes the user', async () => {
    service = await startTestService({ INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'lead' });
    const lead = await leadCreated();
    await send([laterLeadTrack, userIdentify]);
    const state = await settled((s) => s.events.length === 2 && live(s)[0]?.role === 'user', 'the user');
    expect(expectOneUserWithTheLeadsData(state).id).toBe(lead.id);
  });

  it('C-IDN-5 after the merge, email-only events update the user and create no lead', async () => {
    service = await startTestService(
      { INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'lead' },
      { searchLagMs: 10 * 60_000 },
    );
    await leadCreated();
    await send([laterLeadTrack, userIdentify]);
    await settled((s) => s.events.length === 2 && live(s).length === 1, 'the merge');
    await send([{ ...leadIdentify, messageId: 'lead-identify-2', traits: { email: EMAIL, seats: '5' } }]);
    const state = await settled((s) => live(s)[0]?.custom_attributes['seats'] === '5', 'the update');
    expect(live(state)).toHaveLength(1);
    expect(live(state)[0]).toMatchObject({ role: 'user', external_id: 'u-grace' });
  });

  it('C-IDN-5 by default (user) an email-only identify creates a user, as Segment does', async () => {
    service = await startTestService();
    await send([leadIdentify]);
    const state = await settled((s) => s.contacts.length === 1, 'the contact');
    expect(state.contacts[0]).toMatchObject({ role: 'user', email: EMAIL, external_id: null });
  });
});
