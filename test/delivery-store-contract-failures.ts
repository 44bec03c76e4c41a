import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../src/delivery/store/job.js';
import { incoming, LEASE, record, type StoreFixture, T0, track } from './delivery-store-fixture.js';

/** A failed attempt of the L-1 class `failureClass`, answered `status` with `code`. */
function failed(
  atMs: number,
  decision: AttemptRecord['decision'],
  failureClass: NonNullable<AttemptRecord['failureClass']>,
  failure: NonNullable<AttemptRecord['failure']>,
): AttemptRecord {
  return { atMs, decision, counted: decision !== 'rate_limited', calls: 1, failure, failureClass };
}

/** Part of the job-store contract: the delivery lifecycle (L-2 last failures, L-3 redrive order). */
export function describeFailureContract(name: string, fixture: StoreFixture): void {
  const { claimIds, claimOne } = fixture;

  describe(`${name} redrive (L-3)`, () => {
    it('L-3 redrive puts a dead letter back at the head of its lane, before the jobs queued after it died', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      await store.kill(await claimOne(T0), { reason: 'rejected' }, record(T0, 'dead'), T0);
      await store.enqueue([incoming(track('a2', 'a')), incoming(track('a3', 'a'))]);
      expect(await store.redriveDeadLetters({ destinationId: 'dest-1' })).toBe(1);
      // One job per lane at a time, and the redriven one first: a2 and a3 wait behind it.
      expect(await claimIds(T0 + 1)).toEqual(['a1']);
      expect(await claimIds(T0 + 2, 'w2')).toEqual([]);
    });

    it('L-3 a redriven job starts its attempts afresh and keeps its history; then its lane moves on in order', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      const first = await claimOne(T0);
      await store.reschedule(first, T0, record(T0), { countsAsAttempt: true });
      await store.kill(await claimOne(T0 + 1), { reason: 'rejected' }, record(T0 + 1, 'dead'), T0 + 1);
      await store.enqueue([incoming(track('a2', 'a'))]);
      await store.redriveDeadLetters({});
      const again = await claimOne(T0 + 2);
      expect(again).toMatchObject({ messageId: 'a1', attempts: 0, status: 'pending' });
      expect(again.firstAttemptAtMs).toBeUndefined();
      expect(again.history).toEqual([record(T0), record(T0 + 1, 'dead')]);
      await store.complete(again, record(T0 + 3, 'done'));
      expect(await claimIds(T0 + 4)).toEqual(['a2']);
    });

    it('L-3 redriving two dead letters of one lane keeps their original order', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      await store.kill(await claimOne(T0), { reason: 'rejected' }, record(T0, 'dead'), T0);
      await store.kill(await claimOne(T0), { reason: 'rejected' }, record(T0, 'dead'), T0);
      await store.enqueue([incoming(track('a3', 'a'))]);
      // Redriven newest first: the order in the lane is still the order of arrival.
      const letters = await store.listDeadLetters({ limit: 10 });
      await store.redriveDeadLetters({ ids: [letters[1]!.id] });
      await store.redriveDeadLetters({ ids: [letters[0]!.id] });
      const order: string[] = [];
      for (let at = T0 + 1; order.length < 3; at += 1) {
        const job = await claimOne(at);
        order.push(job.messageId);
        await store.complete(job, record(at, 'done'));
      }
      expect(order).toEqual(['a1', 'a2', 'a3']);
    });
  });

  describe(`${name} last failures (L-2)`, () => {
    it('L-2 keeps the last failed attempt of each destination with its class, status and code', async () => {
      const store = fixture.store();
      expect(await store.lastFailures()).toEqual([]);
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('b1', 'b'), 'dest-2')]);
      const [a1, b1] = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      const serverError = { kind: 'http', status: 503, code: 'service_unavailable' } as const;
      await store.reschedule(a1!, T0 + 5, failed(T0 + 5, 'retry', 'transient', serverError), {
        countsAsAttempt: true,
      });
      const conflict = { kind: 'identity_conflict', status: 409, contactId: 'c1', message: 'x' } as const;
      await store.kill(
        b1!,
        { reason: 'identity_conflict' },
        failed(T0 + 6, 'dead', 'permanent', conflict),
        T0 + 6,
      );
      expect(await store.lastFailures()).toEqual([
        {
          destinationId: 'dest-1',
          failureClass: 'transient',
          status: 503,
          code: 'service_unavailable',
          atMs: T0 + 5,
        },
        {
          destinationId: 'dest-2',
          failureClass: 'permanent',
          status: 409,
          code: 'identity_conflict',
          atMs: T0 + 6,
        },
      ]);
    });

    it('L-2 a later failure replaces an earlier one, never the other way round; successes leave it', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('c1', 'c'))]);
      const [a1, c1] = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      const timeout = { kind: 'timeout', timeoutMs: 20_000 } as const;
      await store.park(
        a1!,
        T0 + 60_000,
        failed(T0 + 20, 'parked', 'waiting_for_identity', { kind: 'http', status: 404 }),
      );
      await store.reschedule(c1!, T0 + 1_000, failed(T0 + 10, 'retry', 'transient', timeout), {
        countsAsAttempt: true,
      });
      expect(await store.lastFailures()).toEqual([
        { destinationId: 'dest-1', failureClass: 'waiting_for_identity', status: 404, atMs: T0 + 20 },
      ]);
      const again = await claimOne(T0 + 1_000);
      await store.complete(again, record(T0 + 1_001, 'done'));
      expect((await store.lastFailures()).map((f) => f.atMs)).toEqual([T0 + 20]);
    });
  });
}
