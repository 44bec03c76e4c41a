import { describe, expect, it } from 'vitest';
import type { AttemptDecision } from '../delivery/store/job.js';
import { deadReasonClass, failureClass } from './failure-class.js';
import { createRecentFailures, mergeFailures } from './recent-failures.js';

describe('L-1 failure classes as the console names them', () => {
  it.each<[AttemptDecision, string | undefined]>([
    ['rate_limited', 'rate_limited'],
    ['paused', 'token_rejected'],
    ['retry', 'transient'],
    ['parked', 'waiting_for_identity'],
    ['dead', 'permanent'],
    ['done', undefined],
    ['skipped', undefined],
  ])('L-1 an attempt decided %s is %s', (decision, expected) => {
    expect(failureClass({ atMs: 0, decision, counted: true, calls: 1 })).toBe(expected);
  });

  it('L-1 a dead letter takes the class of its reason', () => {
    expect(deadReasonClass('rejected')).toBe('permanent');
    expect(deadReasonClass('max_age_exceeded')).toBe('transient');
    expect(deadReasonClass('user_not_found')).toBe('waiting_for_identity');
  });

  it('keeps failed attempts only, newest first, with Intercom’s answer and no trait values', () => {
    const failures = createRecentFailures(2);
    const event = {
      type: 'track',
      event: 'Order Completed',
      userId: 'u1',
      properties: { secret: 'x' },
    } as never;
    failures.note({ destinationId: 'd', event }, { atMs: 1, decision: 'done', counted: true, calls: 1 });
    failures.note(
      { destinationId: 'd', event },
      { atMs: 2, decision: 'retry', counted: true, calls: 1, failure: { kind: 'http', status: 503 } },
    );
    failures.note(
      { destinationId: 'd', event },
      {
        atMs: 3,
        decision: 'paused',
        counted: false,
        calls: 1,
        failure: { kind: 'http', status: 401, code: 'unauthorized' },
      },
    );
    failures.note(
      { destinationId: 'd', event },
      { atMs: 4, decision: 'parked', counted: true, calls: 1, failure: { kind: 'http', status: 404 } },
    );
    const list = failures.list('d');
    expect(list.map((f) => [f.atMs, f.failureClass])).toEqual([
      [4, 'waiting_for_identity'],
      [3, 'token_rejected'],
    ]);
    expect(list[1]).toMatchObject({ event: 'track "Order Completed"', status: 401, code: 'unauthorized' });
    expect(JSON.stringify(list)).not.toContain('secret');
    const dead = {
      atMs: 5,
      destinationId: 'd',
      event: 'identify',
      decision: 'dead',
      reason: 'rejected' as const,
    };
    expect(mergeFailures(list, [dead], 2).map((f) => f.atMs)).toEqual([5, 4]);
  });
});
