import { describe, expect, it } from 'vitest';
import { IntercomTimeoutError } from './errors.js';
import { cachedCache, contact, httpError, identify, identity, ok, plan, setup } from './executor-fixture.js';
import type { Operation } from './operations.js';

describe('executor: failures and totals', () => {
  const event: Operation = {
    kind: 'submit_event',
    identity,
    event: { event_name: 'x', created_at: 1, user_id: 'u1' },
  };

  it('stops at the first failure and passes on the 429 reset time and the calls spent', async () => {
    const { executor, log } = setup(
      {
        updateContact: [ok(contact('c1', 'u1'))],
        submitEvent: [httpError(429, 'rate_limit_exceeded', 'slow down', { reset: 1764355810 })],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(identify(), event, event));
    expect(outcome).toEqual({
      kind: 'failed',
      operation: 'submit_event',
      calls: 2,
      notes: [],
      failure: {
        kind: 'http',
        status: 429,
        code: 'rate_limit_exceeded',
        message: 'slow down',
        rateLimit: { limit: 167, remaining: 0, resetAtSeconds: 1764355810 },
      },
      rateLimit: { limit: 167, remaining: 0, resetAtSeconds: 1764355810 },
    });
    expect(log).toHaveLength(2);
  });

  it('reports a timeout as a timeout failure', async () => {
    const { executor } = setup({
      submitEvent: [new IntercomTimeoutError(20000, { method: 'POST', route: '/events' })],
    });
    const outcome = await executor.execute(plan(event));
    expect(outcome.kind === 'failed' && outcome.failure).toEqual({ kind: 'timeout', timeoutMs: 20000 });
  });

  it('passes on the rate limit of the last answer', async () => {
    const rate = { limit: 167, remaining: 150, resetAtSeconds: 1764355820 };
    const { executor } = setup({
      submitEvent: [ok(undefined, { ...rate, remaining: 160 }), ok(undefined, rate)],
    });
    expect(await executor.execute(plan(event, event))).toEqual({
      kind: 'delivered',
      calls: 2,
      notes: [],
      rateLimit: rate,
    });
  });

  it('lets errors that are not Intercom failures (a bug, a broken cache) propagate', async () => {
    const { executor } = setup({});
    await expect(executor.execute(plan(event))).rejects.toThrow(/unscripted call submitEvent/);
  });
});
