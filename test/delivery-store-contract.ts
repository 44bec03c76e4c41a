import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../src/delivery/store/enqueue.js';
import type { AttemptRecord, ClaimedJob, JobStore } from '../src/delivery/store/job-store.js';
import type { SegmentEvent } from '../src/segment/event.js';

/**
 * The semantics every `JobStore` must have (ARCHITECTURE.md decision 4), run against each
 * implementation with a fresh, empty store per test: I-5 dedupe, C-RACE-1 lanes, C-RACE-2 parking,
 * leases, dead letters, pauses and reports.
 */
export function describeJobStoreContract(name: string, open: () => Promise<JobStore>): void {
  const T0 = 1_714_564_800_000;
  const LEASE = 30_000;
  let store: JobStore;

  beforeEach(async () => {
    store = await open();
  });

  afterEach(async () => {
    await store.close();
  });

  function track(messageId: string, userId: string, event = 'Paid'): SegmentEvent {
    return { type: 'track', messageId, userId, event, timestamp: '2024-05-01T12:00:00.000Z' };
  }

  function identify(messageId: string, userId: string): SegmentEvent {
    return {
      type: 'identify',
      messageId,
      userId,
      traits: { email: `${userId}@example.com` },
      timestamp: '2024-05-01T12:00:00.000Z',
    };
  }

  function incoming(event: SegmentEvent, destinationId = 'dest-1', sourceId = 'source-1'): IncomingEvent {
    return { sourceId, destinationId, event, receivedAt: '2024-05-01T12:00:00.000Z' };
  }

  function record(
    atMs: number,
    decision: AttemptRecord['decision'] = 'retry',
    counted = true,
  ): AttemptRecord {
    return { atMs, decision, counted, calls: 1, failure: { kind: 'http', status: 500 } };
  }

  async function claimIds(now: number, workerId = 'w1', limit = 10): Promise<string[]> {
    const jobs = await store.claim({ workerId, limit, leaseMs: LEASE, now });
    return jobs.map((job) => job.messageId);
  }

  async function claimOne(now: number, workerId = 'w1'): Promise<ClaimedJob> {
    const [job] = await store.claim({ workerId, limit: 1, leaseMs: LEASE, now });
    if (job === undefined) throw new TypeError('expected a claimable job');
    return job;
  }

  describe(`${name} enqueue`, () => {
    it('I-5 stores a (source, messageId, destination) once, within a batch and across batches', async () => {
      const first = await store.enqueue([
        incoming(track('m1', 'u1')),
        incoming(track('m1', 'u1')),
        incoming(track('m2', 'u1')),
      ]);
      const retry = await store.enqueue([incoming(track('m1', 'u1')), incoming(track('m2', 'u1'))]);
      expect(first).toEqual({ stored: 2, duplicates: 1 });
      expect(retry).toEqual({ stored: 0, duplicates: 2 });
      expect(await claimIds(T0)).toEqual(['m1']);
    });

    it('I-5 the same messageId from another source or for another destination is a different event', async () => {
      const result = await store.enqueue([
        incoming(track('m1', 'u1')),
        incoming(track('m1', 'u1'), 'dest-1', 'source-2'),
        incoming(track('m1', 'u1'), 'dest-2'),
      ]);
      expect(result).toEqual({ stored: 3, duplicates: 0 });
    });

    it('I-5 remembers delivered messageIds until the receipts are pruned', async () => {
      await store.enqueue([incoming(track('m1', 'u1'))]);
      await store.complete(await claimOne(T0), record(T0, 'done'));
      expect(await store.enqueue([incoming(track('m1', 'u1'))])).toEqual({ stored: 0, duplicates: 1 });
      expect(await store.pruneReceipts(Date.parse('2024-05-01T12:00:00.001Z'))).toBe(1);
      expect(await store.enqueue([incoming(track('m1', 'u1'))])).toEqual({ stored: 1, duplicates: 0 });
    });

    it('keeps the event as JSON and hands it back unchanged', async () => {
      const event = identify('m1', 'u1');
      await store.enqueue([incoming(event)]);
      const job = await claimOne(T0);
      expect(job).toMatchObject({
        event,
        sourceId: 'source-1',
        destinationId: 'dest-1',
        laneKey: 'u:u1',
        status: 'pending',
        attempts: 0,
      });
      expect(job.firstAttemptAtMs).toBeUndefined();
    });
  });

  describe(`${name} claim`, () => {
    it('C-RACE-1 hands out only the head of each lane, oldest first', async () => {
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('a3', 'a')),
      ]);
      expect(await claimIds(T0)).toEqual(['a1', 'b1']);
    });

    it('C-RACE-1 never hands out two jobs of a lane at once, even to another worker', async () => {
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      expect(await claimIds(T0, 'w1')).toEqual(['a1']);
      expect(await claimIds(T0 + 1, 'w2')).toEqual([]);
    });

    it('C-RACE-1 the next job of a lane is claimable once the head completes', async () => {
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
      await store.complete(await claimOne(T0), record(T0, 'done'));
      expect(await claimIds(T0)).toEqual(['a2']);
    });

    it('respects the limit', async () => {
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('c1', 'c')),
      ]);
      expect(await claimIds(T0, 'w1', 2)).toEqual(['a1', 'b1']);
      expect(await claimIds(T0, 'w2', 2)).toEqual(['c1']);
    });

    it('gives a crashed worker’s job to another worker when its lease expires', async () => {
      await store.enqueue([incoming(track('a1', 'a'))]);
      await claimOne(T0, 'crashed');
      expect(await claimIds(T0 + LEASE - 1, 'w2')).toEqual([]);
      const again = await claimOne(T0 + LEASE, 'w2');
      expect(again).toMatchObject({ messageId: 'a1', lockedBy: 'w2', lockedUntilMs: T0 + 2 * LEASE });
    });

    it('renewed leases do not expire', async () => {
      await store.enqueue([incoming(track('a1', 'a'))]);
      const job = await claimOne(T0);
      expect(await store.renewLeases('w1', [job.seq], T0 + 2 * LEASE)).toBe(1);
      expect(await store.renewLeases('other', [job.seq], T0 + 5 * LEASE)).toBe(0);
      expect(await claimIds(T0 + LEASE, 'w2')).toEqual([]);
      expect(await claimIds(T0 + 2 * LEASE, 'w2')).toEqual(['a1']);
    });

    it('a released job is claimable at once', async () => {
      await store.enqueue([incoming(track('a1', 'a')), incoming(track('b1', 'b'))]);
      const [a, b] = await store.claim({ workerId: 'w1', limit: 2, leaseMs: LEASE, now: T0 });
      expect(await store.release(a!)).toBe(true);
      expect(await claimIds(T0, 'w2')).toEqual(['a1']);
      expect(b).toBeDefined();
      expect(await store.releaseWorker('w1')).toBe(1);
      expect(await claimIds(T0, 'w3')).toEqual(['b1']);
    });

    it('claims only the destinations asked for, leaving the others’ jobs to other workers', async () => {
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
      await store.enqueue([incoming(track('a1', 'a'))]);
      const stale = await claimOne(T0, 'slow');
      await claimOne(T0 + LEASE, 'w2');
      expect(await store.reschedule(stale, T0, record(T0), { countsAsAttempt: true })).toBe(false);
      expect(await claimIds(T0 + LEASE + 1, 'w3')).toEqual([]);
    });
  });

  describe(`${name} C-RACE-2 parking`, () => {
    it('C-RACE-2 a parked track lets the identify behind it run, then is delivered right after it, before later jobs', async () => {
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
      await store.enqueue([incoming(track('t1', 'u'))]);
      await store.park(await claimOne(T0), T0 + 60_000, record(T0, 'parked'));
      expect(await claimIds(T0 + 59_999)).toEqual([]);
      const again = await claimOne(T0 + 60_000);
      expect(again).toMatchObject({ messageId: 't1', status: 'parked' });
    });

    it('C-RACE-2 a due parked track waits while its lane has pending work (one job per lane)', async () => {
      await store.enqueue([incoming(track('t1', 'u')), incoming(identify('i1', 'u'))]);
      await store.park(await claimOne(T0), T0 + 10, record(T0, 'parked'));
      const i1 = await claimOne(T0 + 1);
      await store.reschedule(i1, T0 + 100, record(T0 + 1), { countsAsAttempt: true });
      expect(await claimIds(T0 + 50)).toEqual([]);
      expect(await claimIds(T0 + 100)).toEqual(['i1']);
    });

    it('C-RACE-2 several parked tracks come back in their original order', async () => {
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

  describe(`${name} dead letters`, () => {
    it('keeps the event, the plan, every attempt and Intercom’s answer, and unblocks the lane', async () => {
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

    it('redrive puts a dead letter back at the tail of its lane; purge deletes', async () => {
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
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('a2', 'a')),
        incoming(track('a3', 'a', 'Other')),
        incoming(track('a4', 'a')),
      ]);
      const head = await claimOne(T0);
      const followers = await store.claimFollowers!(
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
      expect(await store.noteEventNames!('dest-1', ['paid', 'signed up'], T0)).toEqual({
        count: 2,
        added: ['paid', 'signed up'],
      });
      expect(await store.noteEventNames!('dest-1', ['paid', 'churned'], T0)).toEqual({
        count: 3,
        added: ['churned'],
      });
      await store.noteEventNames!('dest-2', ['paid'], T0);
      expect(await store.eventNameCounts!()).toEqual([
        { destinationId: 'dest-1', count: 3 },
        { destinationId: 'dest-2', count: 1 },
      ]);
    });
  });

  describe(`${name} destination pauses`, () => {
    it('a timed pause (429) holds only its destination until it ends', async () => {
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
      await store.pauseDestination('dest-1', T0 + 10_000, 'rate_limited', T0);
      await store.pauseDestination('dest-1', T0 + 2_000, 'rate_limited', T0 + 1);
      expect((await store.pausedDestinations(T0 + 5_000)).map((p) => p.untilMs)).toEqual([T0 + 10_000]);
    });
  });

  describe(`${name} depth and counts`, () => {
    it('reports queue depth and outcome counts per destination', async () => {
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
