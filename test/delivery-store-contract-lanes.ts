import { describe, expect, it } from 'vitest';
import { identify, incoming, LEASE, record, type StoreFixture, T0, track } from './delivery-store-fixture.js';

/** Part of the job-store contract: C-RACE-1 claims and leases, retries, C-RACE-2 parking. */
export function describeLaneContract(name: string, fixture: StoreFixture): void {
  const { claimIds, claimOne } = fixture;
  describe(`${name} claim`, () => {
    it('C-RACE-1 hands out only the head of each lane, oldest first', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('a3', 'a')),
      ]);
      expect(await claimIds(T0)).toEqual(['a1', 'b1']);
    });

    it('C-RACE-1 never hands out two jobs of a lane at once, even to another worker', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      expect(await claimIds(T0, 'w1')).toEqual(['a1']);
      expect(await claimIds(T0 + 1, 'w2')).toEqual([]);
    });

    it('C-RACE-1 the next job of a lane is claimable once the head completes', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      await store.complete(await claimOne(T0), record(T0, 'done'));
      expect(await claimIds(T0)).toEqual(['a2']);
    });

    it('respects the limit', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('c1', 'c')),
      ]);
      expect(await claimIds(T0, 'w1', 2)).toEqual(['a1', 'b1']);
      expect(await claimIds(T0, 'w2', 2)).toEqual(['c1']);
    });

    it('gives a crashed worker’s job to another worker when its lease expires', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      await claimOne(T0, 'crashed');
      expect(await claimIds(T0 + LEASE - 1, 'w2')).toEqual([]);
      const again = await claimOne(T0 + LEASE, 'w2');
      expect(again).toMatchObject({ messageId: 'a1', lockedBy: 'w2', lockedUntilMs: T0 + 2 * LEASE });
    });

    it('renewed leases do not expire', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      const job = await claimOne(T0);
      expect(await store.renewLeases('w1', [job.seq], T0 + 2 * LEASE)).toBe(1);
      expect(await store.renewLeases('other', [job.seq], T0 + 5 * LEASE)).toBe(0);
      expect(await claimIds(T0 + LEASE, 'w2')).toEqual([]);
      expect(await claimIds(T0 + 2 * LEASE, 'w2')).toEqual(['a1']);
    });

    it('a released job is claimable at once', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('b1', 'b'))]);
      const [a, b] = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      expect(await store.release(a!)).toBe(true);
      expect(await claimIds(T0, 'w2')).toEqual(['a1']);
      expect(b).toBeDefined();
      expect(await store.releaseWorker('w1')).toBe(1);
      expect(await claimIds(T0, 'w3')).toEqual(['b1']);
    });

    it('claims only the destinations asked for, leaving the others’ jobs to other workers', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a'), 'dest-1'),
        incoming(track('b1', 'b'), 'dest-2'),
        incoming(track('c1', 'c'), 'dest-3'),
        incoming(track('d1', 'd'), 'dest-2'),
      ]);
      const claim = async (destinationIds: readonly string[], workerId: string): Promise<string[]> =>
        (await store.claim({ workerId, limit: 10, leaseMs: LEASE, now: T0, destinationIds })).map(
          (job) => job.messageId,
        );
      expect(await claim(['dest-2', 'dest-4'], 'w1')).toEqual(['b1', 'd1']);
      expect(await claim([], 'w2')).toEqual([]);
      expect(await claim(['dest-2'], 'w2')).toEqual([]);
      expect(await claimIds(T0, 'w3')).toEqual(['a1', 'c1']);
    });
  });

  describe(`${name} retries`, () => {
    it('C-RACE-1 a retry keeps the head of its lane and holds back only that lane', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('b1', 'b')),
      ]);
      const a1 = await claimOne(T0);
      expect(await store.reschedule(a1, T0 + 5_000, record(T0), { countsAsAttempt: true })).toBe(true);
      expect(await claimIds(T0 + 1)).toEqual(['b1']);
      const again = await claimOne(T0 + 5_000);
      expect(again).toMatchObject({ messageId: 'a1', attempts: 1, firstAttemptAtMs: T0 });
      expect(again.history).toEqual([record(T0)]);
    });

    it('an attempt that does not count (429) leaves attempts and the first attempt time alone', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      await store.reschedule(await claimOne(T0), T0 + 1_000, record(T0, 'rate_limited', false), {
        countsAsAttempt: false,
      });
      const again = await claimOne(T0 + 1_000);
      expect(again.attempts).toBe(0);
      expect(again.firstAttemptAtMs).toBeUndefined();
      expect(again.history).toHaveLength(1);
    });

    it('a worker that lost its lease cannot reschedule the job', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('a1', 'a'))]);
      const stale = await claimOne(T0, 'slow');
      await claimOne(T0 + LEASE, 'w2');
      expect(await store.reschedule(stale, T0, record(T0), { countsAsAttempt: true })).toBe(false);
      expect(await claimIds(T0 + LEASE + 1, 'w3')).toEqual([]);
    });
  });

  describe(`${name} C-RACE-2 parking`, () => {
    it('C-RACE-2 a parked track lets the identify behind it run, then is delivered right after it, before later jobs', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('t1', 'u')),
        incoming(identify('i1', 'u')),
        incoming(track('t2', 'u')),
      ]);
      const t1 = await claimOne(T0);
      expect(await store.park(t1, T0 + 60_000, record(T0, 'parked'))).toBe(true);
      const i1 = await claimOne(T0 + 1);
      expect(i1.messageId).toBe('i1');
      await store.complete(i1, record(T0 + 2, 'done'));
      const next = await claimOne(T0 + 3);
      expect(next).toMatchObject({ messageId: 't1', status: 'pending', attempts: 1, firstAttemptAtMs: T0 });
      expect(await claimIds(T0 + 3, 'w2')).toEqual([]);
      await store.complete(next, record(T0 + 4, 'done'));
      expect(await claimIds(T0 + 5)).toEqual(['t2']);
    });

    it('C-RACE-2 a parked track retries on its own timer when its lane has nothing else', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('t1', 'u'))]);
      await store.park(await claimOne(T0), T0 + 60_000, record(T0, 'parked'));
      expect(await claimIds(T0 + 59_999)).toEqual([]);
      const again = await claimOne(T0 + 60_000);
      expect(again).toMatchObject({ messageId: 't1', status: 'parked' });
    });

    it('C-RACE-2 a due parked track waits while its lane has pending work (one job per lane)', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('t1', 'u')), incoming(identify('i1', 'u'))]);
      await store.park(await claimOne(T0), T0 + 10, record(T0, 'parked'));
      const i1 = await claimOne(T0 + 1);
      await store.reschedule(i1, T0 + 100, record(T0 + 1), { countsAsAttempt: true });
      expect(await claimIds(T0 + 50)).toEqual([]);
      expect(await claimIds(T0 + 100)).toEqual(['i1']);
    });

    it('C-RACE-2 several parked tracks come back in their original order', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('t1', 'u')),
        incoming(track('t2', 'u')),
        incoming(identify('i1', 'u')),
      ]);
      await store.park(await claimOne(T0), T0 + 60_000, record(T0, 'parked'));
      await store.park(await claimOne(T0), T0 + 60_000, record(T0, 'parked'));
      await store.complete(await claimOne(T0), record(T0, 'done'));
      const order: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const job = await claimOne(T0 + 1);
        order.push(job.messageId);
        await store.complete(job, record(T0 + 1, 'done'));
      }
      expect(order).toEqual(['t1', 't2']);
    });
  });

  describe(`${name} one lane waiting for another (C-IDN-5)`, () => {
    it('C-IDN-5 counts the pending jobs of a lane before a seq: leased ones count, parked and later ones do not', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(identify('b1', 'b')),
        incoming(track('a3', 'a')),
      ]);
      const lane = { destinationId: 'dest-1', laneKey: 'u:a' };
      const claimed = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      const [a1, b1] = [...claimed].sort((x, y) => x.seq - y.seq);
      expect([a1?.messageId, b1?.messageId]).toEqual(['a1', 'b1']);
      expect(await store.pendingBefore(lane, b1!.seq)).toBe(2);
      expect(await store.pendingBefore(lane, a1!.seq)).toBe(0);
      expect(await store.pendingBefore({ ...lane, destinationId: 'dest-2' }, b1!.seq)).toBe(0);
      await store.park(a1!, T0 + 60_000, record(T0, 'parked'));
      expect(await store.pendingBefore(lane, b1!.seq)).toBe(1);
      await store.complete(await claimOne(T0 + 1), record(T0 + 1, 'done'));
      // C-RACE-2: a2 done, the parked a1 is pending again in its place, so it counts again.
      expect(await store.pendingBefore(lane, b1!.seq)).toBe(1);
      await store.complete(await claimOne(T0 + 2), record(T0 + 2, 'done'));
      expect(await store.pendingBefore(lane, b1!.seq)).toBe(0);
    });
  });
}
