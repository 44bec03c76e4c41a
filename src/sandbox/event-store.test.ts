import { describe, expect, it } from 'vitest';
import { createContact } from './contact-store.js';
import type { Result } from './api-result.js';
import { type EventOutcome, EVENT_NAME_LIMIT_CODE, normaliseEventName, submitEvent } from './event-store.js';
import { createTestStore } from './store-fixture.js';

function stored(result: Result<EventOutcome>) {
  if (!result.ok || result.value.kind !== 'stored')
    throw new TypeError(`expected a stored event, got ${JSON.stringify(result)}`);
  return result.value.event;
}

function withUser(settings = {}) {
  const t = createTestStore(settings);
  const user = createContact(t.store, { role: 'user', external_id: 'u1', email: 'ada@example.com' });
  const lead = createContact(t.store, { role: 'lead', email: 'lead@example.com' });
  if (!user.ok || !lead.ok) throw new TypeError('seed failed');
  return { ...t, user: user.value, lead: lead.value };
}

describe('submitEvent', () => {
  it('C-TR-1 stores an event for a user_id, an email or an Intercom id (leads)', () => {
    const { store, user, lead } = withUser();
    expect(stored(submitEvent(store, { event_name: 'a', created_at: 1, user_id: 'u1' })).contact_id).toBe(
      user.id,
    );
    expect(
      stored(submitEvent(store, { event_name: 'a', created_at: 2, email: 'ada@example.com' })).contact_id,
    ).toBe(user.id);
    expect(stored(submitEvent(store, { event_name: 'a', created_at: 3, id: lead.id })).contact_id).toBe(
      lead.id,
    );
  });

  it('C-RACE-2 answers 404 User Not Found for an unknown user', () => {
    const { store } = withUser();
    expect(submitEvent(store, { event_name: 'a', created_at: 1, user_id: 'nobody' })).toEqual({
      ok: false,
      error: { status: 404, code: 'not_found', message: 'User Not Found' },
    });
  });

  it('dedupes on (contact, event name, created_at): the duplicate is accepted and dropped', () => {
    const { store } = withUser();
    stored(submitEvent(store, { event_name: 'Order Completed', created_at: 100, user_id: 'u1' }));
    expect(
      submitEvent(store, { event_name: 'order completed', created_at: 100, email: 'ada@example.com' }),
    ).toEqual({ ok: true, value: { kind: 'duplicate' } });
    stored(submitEvent(store, { event_name: 'Order Completed', created_at: 101, user_id: 'u1' }));
    expect(store.events).toHaveLength(2);
  });

  it('C-TR-4 keeps only the first metadataKeyLimit keys in send order and records the dropped ones', () => {
    const { store } = withUser({ metadataKeyLimit: 2 });
    const event = stored(
      submitEvent(store, {
        event_name: 'a',
        created_at: 1,
        user_id: 'u1',
        metadata: { price: { amount: 1, currency: 'usd' }, b: 'x', c: 3 },
      }),
    );
    expect(event.metadata).toEqual({ price: { amount: 1, currency: 'usd' }, b: 'x' });
    expect(event.dropped_metadata_keys).toEqual(['c']);
  });

  it('C-TR-6 refuses a new event name past the limit, still accepts known names', () => {
    const { store } = withUser({ eventNameLimit: 2 });
    stored(submitEvent(store, { event_name: 'one', created_at: 1, user_id: 'u1' }));
    stored(submitEvent(store, { event_name: 'two', created_at: 1, user_id: 'u1' }));
    const refused = submitEvent(store, { event_name: 'three', created_at: 1, user_id: 'u1' });
    expect(!refused.ok && refused.error).toMatchObject({
      status: 400,
      code: EVENT_NAME_LIMIT_CODE,
      message: expect.stringContaining("'three'") as unknown,
    });
    expect(stored(submitEvent(store, { event_name: 'ONE', created_at: 2, user_id: 'u1' })).event_name).toBe(
      'ONE',
    );
  });

  it('uses the clock when created_at is missing (the request log reports the violation)', () => {
    const { store } = withUser();
    expect(stored(submitEvent(store, { event_name: 'a', user_id: 'u1' })).created_at).toBe(1_700_000_000);
  });

  it.each([
    { name: 'no event_name', body: { created_at: 1, user_id: 'u1' } },
    { name: 'no user identifier', body: { event_name: 'a', created_at: 1 } },
  ])('400 for $name', ({ body }) => {
    const { store } = withUser();
    expect(submitEvent(store, body)).toMatchObject({ ok: false, error: { status: 400 } });
  });
});

describe('normaliseEventName', () => {
  it.each([
    ['order.completed', 'order-completed'],
    ['paid $5', 'paid -5'],
    ['Signed Up', 'Signed Up'],
  ])('%s → %s', (name, expected) => {
    expect(normaliseEventName(name)).toBe(expected);
  });
});
