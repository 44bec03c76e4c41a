import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../src/delivery/store/job.js';
import { incoming, LEASE, record, type StoreFixture, T0, track } from './delivery-store-fixture.js';

/** Part of the job-store contract: dead letters, coalescing and event names, pauses, depth and counts. */
export function describeReportContract(name: string, fixture: StoreFixture): void {
  const { claimIds, claimOne } = fixture;
  describe(`${name} dead letters`, () => {
    it('keeps the event, the plan, every attempt and Intercom’s answer, and unblocks the lane', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      await store.reschedule(await claimOne(T0), T0, record(T0), { countsAsAttempt: true });
      const a1 = await claimOne(T0 + 1);
      const plan = { kind: 'skip', reason: 'invalid_event', detail: 'x' } as const;
      const last: AttemptRecord = {
        atMs: T0 + 2,
        decision: 'dead',
        counted: true,
        calls: 1,
        failure: { kind: 'http', status: 400, code: 'parameter_invalid' },
      };
      expect(
        await store.kill(
          a1,
          { reason: 'rejected', status: 400, code: 'parameter_invalid', message: 'bad', plan },
          last,
          T0 + 2,
        ),
      ).toBe(true);
      expect(await claimIds(T0 + 3)).toEqual(['a2']);
      const [dead] = await store.listDeadLetters({ limit: 10 });
      expect(dead).toMatchObject({
        messageId: 'a1',
        event: track('a1', 'a'),
        reason: 'rejected',
        status: 400,
        code: 'parameter_invalid',
        message: 'bad',
        plan,
        diedAtMs: T0 + 2,
      });
      expect(dead!.attempts).toEqual([record(T0), last]);
      expect(await store.queueDepth(T0 + 3)).toMatchObject([
        { destinationId: 'dest-1', pending: 1, deadLetters: 1 },
      ]);
    });

    it('redrive puts a dead letter back in its lane; purge deletes', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('b1', 'b', 'Other'), 'dest-2')]);
      const jobs = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      for (const job of jobs) await store.kill(job, { reason: 'rejected' }, record(T0, 'dead'), T0);
      expect(await store.redriveDeadLetters({ destinationId: 'dest-1' })).toBe(1);
      expect(await claimIds(T0 + 1)).toEqual(['a1']);
      const remaining = await store.listDeadLetters({ limit: 10 });
      expect(remaining.map((d) => d.messageId)).toEqual(['b1']);
      expect(await store.purgeDeadLetters({ ids: [remaining[0]!.id] })).toBe(1);
      expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
    });

    it('lists, redrives and purges dead letters by reason', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('c1', 'c')),
      ]);
      const jobs = await store.claim({ workerId: 'w1', limit: 3, leaseMs: LEASE, now: T0 });
      const reasons = ['user_not_found', 'rejected', 'user_not_found'] as const;
      for (const [i, job] of jobs.entries()) {
        await store.kill(job, { reason: reasons[i] ?? 'rejected' }, record(T0, 'dead'), T0);
      }
      const lost = await store.listDeadLetters({ limit: 10, reason: 'user_not_found' });
      expect(lost.map((d) => d.messageId)).toEqual(['a1', 'c1']);
      expect(await store.redriveDeadLetters({ reason: 'user_not_found' })).toBe(2);
      expect(await store.purgeDeadLetters({ reason: 'max_age_exceeded' })).toBe(0);
      expect((await store.listDeadLetters({ limit: 10 })).map((d) => d.messageId)).toEqual(['b1']);
    });

    it('pages dead letters by id', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('c1', 'c')),
      ]);
      for (const job of await store.claim({ workerId: 'w1', limit: 3, leaseMs: LEASE, now: T0 })) {
        await store.kill(job, { reason: 'rejected' }, record(T0, 'dead'), T0);
      }
      const first = await store.listDeadLetters({ limit: 2 });
      const second = await store.listDeadLetters({ limit: 2, afterId: first[1]!.id });
      expect([...first, ...second].map((d) => d.messageId)).toEqual(['a1', 'b1', 'c1']);
    });
  });

  describe(`${name} coalescing and event names (issue #5, C-TR-6)`, () => {
    it('claimFollowers leases the accepted jobs right behind a head, stopping at the first other one', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('a3', 'a', 'Other')),
        incoming(track('a4', 'a')),
      ]);
      const head = await claimOne(T0);
      const followers = await store.claimFollowers(
        head,
        10,
        (event) => event.type === 'track' && event.event === 'Paid',
        T0,
      );
      expect(followers.map((j) => j.messageId)).toEqual(['a2']);
      expect(followers[0]).toMatchObject({ lockedBy: head.lockedBy, lockedUntilMs: head.lockedUntilMs });
      await store.complete(head, record(T0 + 1, 'done'));
      await store.complete(followers[0]!, record(T0 + 1, 'done'));
      expect(await claimIds(T0 + 2)).toEqual(['a3']);
    });

    it('noteEventNames counts distinct names per workspace and says which were new', async () => {
      const store = fixture.store();
      expect(await store.noteEventNames('dest-1', ['paid', 'signed up'], T0)).toEqual({
        count: 2,
        added: ['paid', 'signed up'],
      });
      expect(await store.noteEventNames('dest-1', ['paid', 'churned'], T0)).toEqual({
        count: 3,
        added: ['churned'],
      });
      await store.noteEventNames('dest-2', ['paid'], T0);
      expect(await store.eventNameCounts()).toEqual([
        { destinationId: 'dest-1', count: 3 },
        { destinationId: 'dest-2', count: 1 },
      ]);
    });
  });

  describe(`${name} destination pauses`, () => {
    it('a timed pause (429) holds only its destination until it ends', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'), 'dest-1'), incoming(track('b1', 'b'), 'dest-2')]);
      await store.pauseDestination('dest-1', T0 + 10_000, 'rate_limited', T0);
      expect(await claimIds(T0)).toEqual(['b1']);
      expect(await store.pausedDestinations(T0)).toEqual([
        { destinationId: 'dest-1', reason: 'rate_limited', untilMs: T0 + 10_000, sinceMs: T0 },
      ]);
      expect(await claimIds(T0 + 10_000)).toEqual(['a1']);
      expect(await store.pausedDestinations(T0 + 10_000)).toEqual([]);
    });

    it('an open-ended pause (401) lasts until resumed, and a 429 does not shorten it', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      await store.pauseDestination('dest-1', undefined, 'unauthorized', T0);
      await store.pauseDestination('dest-1', T0 + 1_000, 'rate_limited', T0 + 1);
      expect(await claimIds(T0 + 86_400_000)).toEqual([]);
      expect(await store.pausedDestinations(T0 + 5_000)).toEqual([
        { destinationId: 'dest-1', reason: 'unauthorized', sinceMs: T0 },
      ]);
      await store.resumeDestination('dest-1');
      expect(await claimIds(T0 + 5_000)).toEqual(['a1']);
    });

    it('a shorter timed pause does not shorten a longer one', async () => {
      const store = fixture.store();
      await store.pauseDestination('dest-1', T0 + 10_000, 'rate_limited', T0);
      await store.pauseDestination('dest-1', T0 + 2_000, 'rate_limited', T0 + 1);
      expect((await store.pausedDestinations(T0 + 5_000)).map((p) => p.untilMs)).toEqual([T0 + 10_000]);
    });
  });

  describe(`${name} depth and counts`, () => {
    it('reports queue depth and outcome counts per destination', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('t1', 't')),
        incoming(track('b1', 'b'), 'dest-2'),
      ]);
      const [a1, t1, b1] = await store.claim({ workerId: 'w1', limit: 3, leaseMs: LEASE, now: T0 });
      await store.complete(a1!, record(T0, 'done'));
      await store.park(t1!, T0 + 60_000, record(T0, 'parked'));
      await store.complete(b1!, {
        atMs: T0,
        decision: 'skipped',
        counted: false,
        calls: 0,
        skipReason: 'no_server_effect',
      });
      await claimOne(T0);
      expect(await store.queueDepth(T0)).toEqual([
        {
          destinationId: 'dest-1',
          pending: 1,
          parked: 1,
          inFlight: 1,
          deadLetters: 0,
          oldestReceivedAt: '2024-05-01T12:00:00.000Z',
        },
      ]);
      expect(await store.deliveryCounts()).toEqual([
        { destinationId: 'dest-1', result: 'delivered', count: 1 },
        { destinationId: 'dest-2', result: 'skipped:no_server_effect', count: 1 },
      ]);
    });
  });
}
