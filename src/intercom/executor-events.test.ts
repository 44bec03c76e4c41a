import { describe, expect, it } from 'vitest';
import { httpError, identity, ok, plan, setup } from './executor-fixture.js';
import type { Operation } from './operations.js';

describe('executor: events (C-TR-1)', () => {
  it('C-TR-1 a track by user_id needs no resolution: one POST /events', async () => {
    const { executor, log } = setup({ submitEvent: [ok(undefined)] });
    const op: Operation = {
      kind: 'submit_event',
      identity,
      event: { event_name: 'ordered', created_at: 1764355800, user_id: 'u1' },
    };
    expect(await executor.execute(plan(op))).toEqual({ kind: 'delivered', calls: 1, notes: [] });
    expect(log).toEqual([['submitEvent', { event_name: 'ordered', created_at: 1764355800, user_id: 'u1' }]]);
  });

  it('C-IDN-1 names the user from the identity when the event body has no id', async () => {
    const { executor, log } = setup({ submitEvent: [ok(undefined)] });
    const op: Operation = {
      kind: 'submit_event',
      identity: { email: 'ann@example.com' },
      event: { event_name: 'ordered', created_at: 1 },
    };
    await executor.execute(plan(op));
    expect(log[0]?.[1]).toEqual({ event_name: 'ordered', created_at: 1, email: 'ann@example.com' });
  });

  it('C-RACE-2 a 404 User Not Found is a failure for the delivery policy, not retried here', async () => {
    const { executor, log } = setup({ submitEvent: [httpError(404, 'not_found', 'User Not Found')] });
    const op: Operation = {
      kind: 'submit_event',
      identity,
      event: { event_name: 'x', created_at: 1, user_id: 'u1' },
    };
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'submit_event', calls: 1 });
    expect(log).toHaveLength(1);
  });
});
