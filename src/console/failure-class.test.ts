import { describe, expect, it } from 'vitest';
import type { AttemptDecision } from '../delivery/store/job.js';
import { deadLetterClass, failureClass } from './failure-class.js';
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
    ['waiting', undefined],
  ])('L-1 an attempt stored without a class and decided %s is %s', (decision, expected) => {
    expect(failureClass({ atMs: 0, decision, counted: true, calls: 1 })).toBe(expected);
  });

  it('L-1 an attempt shows the class the policy recorded with it, whatever its decision', () => {
    // A 409 identity conflict is dead at once: permanent; a 5xx past the horizon is dead too, but transient.
    const dead = { atMs: 0, decision: 'dead', counted: true, calls: 1 } as const;
    expect(failureClass({ ...dead, failureClass: 'transient' })).toBe('transient');
    expect(failureClass({ ...dead, failureClass: 'permanent' })).toBe('permanent');
  });

  it('L-1 a dead letter takes the class of its last attempt, else the class of its reason', () => {
    const last = { atMs: 0, decision: 'dead', counted: true, calls: 1, failureClass: 'transient' } as const;
    expect(deadLetterClass({ reason: 'retry_horizon_passed', attempts: [last] })).toBe('transient');
    expect(deadLetterClass({ reason: 'identity_conflict', attempts: [] })).toBe('permanent');
    expect(deadLetterClass({ reason: 'rejected', attempts: [] })).toBe('permanent');
    expect(deadLetterClass({ reason: 'max_age_exceeded', attempts: [] })).toBe('transient');
    expect(deadLetterClass({ reason: 'user_not_found', attempts: [] })).toBe('waiting_for_identity');
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
