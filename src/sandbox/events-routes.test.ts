import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestSandbox, testSandboxes } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

describe('events', () => {
  async function withUser(options = {}): Promise<TestSandbox> {
    const t = await start(options);
    await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', email: 'ada@example.com' });
    return t;
  }

  it('C-TR-1 answers 202 with an empty body and stores the event', async () => {
    const t = await withUser();
    const r = await t.call('POST', '/events', {
      event_name: 'order-completed',
      created_at: 1_700_000_000,
      user_id: 'u1',
      metadata: { order_id: 'o1' },
    });
    expect(r.status).toBe(202);
    expect(r.body).toBe('');
    expect(t.sandbox.state().events).toMatchObject([
      {
        event_name: 'order-completed',
        created_at: 1_700_000_000,
        user_id: 'u1',
        metadata: { order_id: 'o1' },
      },
    ]);
  });

  it('C-RACE-2 answers 404 User Not Found for an unknown user', async () => {
    const t = await withUser();
    const r = await t.call('POST', '/events', {
      event_name: 'x',
      created_at: 1_700_000_000,
      user_id: 'nobody',
    });
    expect(r.status).toBe(404);
    expect(r.json['errors']).toEqual([{ code: 'not_found', message: 'User Not Found' }]);
  });

  it('dedupes on (contact, name, created_at)', async () => {
    const t = await withUser();
    const body = { event_name: 'x', created_at: 1_700_000_000, user_id: 'u1' };
    expect((await t.call('POST', '/events', body)).status).toBe(202);
    expect((await t.call('POST', '/events', body)).status).toBe(202);
    expect((await t.call('POST', '/events', { ...body, created_at: 1_700_000_001 })).status).toBe(202);
    expect(t.sandbox.state().events).toHaveLength(2);
  });

  it('C-TR-4 keeps only the first 10 metadata keys', async () => {
    const t = await withUser();
    const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i]));
    await t.call('POST', '/events', { event_name: 'x', created_at: 1_700_000_000, user_id: 'u1', metadata });
    const [event] = t.sandbox.state().events;
    expect(Object.keys(event!.metadata)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    expect(event!.dropped_metadata_keys).toEqual(['k10', 'k11']);
  });

  it('C-TR-6 refuses a new event name past the configured limit with a clear error', async () => {
    const t = await withUser({ eventNameLimit: 2 });
    for (const name of ['a', 'b'])
      expect(
        (await t.call('POST', '/events', { event_name: name, created_at: 1_700_000_000, user_id: 'u1' }))
          .status,
      ).toBe(202);
    const r = await t.call('POST', '/events', { event_name: 'c', created_at: 1_700_000_000, user_id: 'u1' });
    expect(r.status).toBe(400);
    expect(r.json['errors']).toEqual([
      {
        code: 'event_name_limit_exceeded',
        message: expect.stringMatching(/2 active event names; 'c' is new/) as unknown,
      },
    ]);
  });
});
