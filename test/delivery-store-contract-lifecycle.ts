import { describe, expect, it } from 'vitest';
import { hashErasureKey, matchesErasureKey } from '../src/delivery/store/erasure-hash.js';
import type { ErasureKey } from '../src/delivery/store/erasures.js';
import type { ClaimedDeletionJob, ClaimedJob } from '../src/delivery/store/job.js';
import { contactKey } from '../src/intercom/id-cache.js';
import { identify, incoming, LEASE, record, type StoreFixture, T0, track } from './delivery-store-fixture.js';

const U1: ErasureKey = { kind: 'user_id', value: 'u1' };

function asDeletion(job: ClaimedJob): ClaimedDeletionJob {
  if (job.kind !== 'deletion') throw new TypeError(`expected a deletion job, got ${job.messageId}`);
  return job;
}

/** Part of the job-store contract: replayed jobs (L-5) and erasures (L-4). */
export function describeLifecycleContract(name: string, fixture: StoreFixture): void {
  const { claimIds, claimOne } = fixture;
  const request = (deletionId: string, keys: readonly ErasureKey[], nowMs = T0) =>
    fixture.store().requestErasure({
      deletionId,
      destinationId: 'dest-1',
      keys: keys.map((key) => ({ key, hashed: hashErasureKey(key) })),
      nowMs,
    });

  describe(`${name} replayed jobs (L-5)`, () => {
    it('L-5 hands out live lane heads before replayed ones, and replayed ones when asked for no more', async () => {
      const store = fixture.store();
      await store.enqueue([
        { ...incoming(track('r1', 'a')), replayed: true },
        { ...incoming(track('r2', 'b')), replayed: true },
        incoming(track('l1', 'c')),
      ]);
      expect(await claimIds(T0, 'w1', 2)).toEqual(['r1', 'l1']);
      const [job] = await store.claim({ workerId: 'w2', limit: 1, leaseMs: LEASE, now: T0 });
      expect(job).toMatchObject({ messageId: 'r2', replayed: true, kind: 'event' });
    });

    it('L-5 leaves replayed jobs of a held destination unclaimed, and its live jobs claimable', async () => {
      const store = fixture.store();
      await store.enqueue([
        { ...incoming(track('r1', 'a')), replayed: true },
        { ...incoming(track('r2', 'b'), 'dest-2'), replayed: true },
        incoming(track('l1', 'c')),
      ]);
      const claimed = await store.claim({
        workerId: 'w1',
        limit: 10,
        leaseMs: LEASE,
        now: T0,
        replayHeld: ['dest-1'],
      });
      expect(claimed.map((job) => job.messageId).sort()).toEqual(['l1', 'r2']);
    });

    it('L-5 remembers the newest delivered identify time of a lane, never moving it back', async () => {
      const store = fixture.store();
      const newer = { ...identify('i1', 'u1'), timestamp: '2024-05-01T12:00:00.000Z' };
      const older = { ...identify('i2', 'u1'), timestamp: '2024-04-01T12:00:00.000Z' };
      await store.enqueue([incoming(newer), incoming(older), incoming(track('t1', 'u1'))]);
      expect(await store.lastContactUpdateMs({ destinationId: 'dest-1', laneKey: 'u:u1' })).toBeUndefined();
      for (let i = 0; i < 3; i += 1) await store.complete(await claimOne(T0 + i), record(T0 + i, 'done'));
      expect(await store.lastContactUpdateMs({ destinationId: 'dest-1', laneKey: 'u:u1' })).toBe(
        Date.parse(newer.timestamp),
      );
    });
  });

  describe(`${name} erasures (L-4)`, () => {
    it('L-4 purges the queued jobs no worker holds and queues the deletion behind the one in flight', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'u1')),
        incoming(track('a2', 'u1')),
        incoming(track('b1', 'u2')),
      ]);
      const inFlight = await claimOne(T0);
      expect(inFlight.messageId).toBe('a1');
      await request('del-1', [U1], T0 + 1);
      expect(await claimIds(T0 + 2)).toEqual(['b1']);
      await store.complete(inFlight, record(T0 + 3, 'done'));
      const deletion = asDeletion(await claimOne(T0 + 4, 'w2'));
      expect(deletion.erasure).toEqual({ deletionId: 'del-1', position: 0, key: U1 });
      const [row] = await store.erasureRecords('del-1');
      expect(row).toMatchObject({ status: 'pending', purgedJobs: 1, destinationId: 'dest-1' });
      expect(JSON.stringify(row)).not.toContain('"u1"');
      expect(matchesErasureKey(row!.key, U1)).toBe(true);
      expect(matchesErasureKey(row!.key, { kind: 'user_id', value: 'u2' })).toBe(false);
    });

    it('L-4 drops a job that fails after its user asked to be forgotten, so the deletion runs next', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(identify('i1', 'u1'))]);
      const inFlight = await claimOne(T0);
      await request('del-1', [U1], T0 + 1);
      expect(await store.reschedule(inFlight, T0 + 2, record(T0 + 2), { countsAsAttempt: true })).toBe(true);
      expect(asDeletion(await claimOne(T0 + 3)).erasure.deletionId).toBe('del-1');
      expect(await store.deliveryCounts()).toContainEqual({
        destinationId: 'dest-1',
        result: 'skipped:erased',
        count: 1,
      });
    });

    it('L-4 purges dead letters of the lane when the deletion runs, and forgets the cached ids when done', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(identify('i1', 'u1')), incoming(track('x1', 'u2'))]);
      const dying = await claimOne(T0);
      await store.kill(dying, { reason: 'rejected' }, record(T0, 'dead'), T0);
      await store.idCache.setContactId(contactKey('dest-1', 'external_id', 'u1'), 'c-1');
      await store.idCache.setContactId(contactKey('dest-1', 'email', 'u1@example.com'), 'c-1');
      await store.idCache.setContactId(contactKey('dest-1', 'external_id', 'u2'), 'c-2');
      await store.idCache.setAttachment({
        destinationId: 'dest-1',
        contactId: 'c-1',
        intercomCompanyId: 'co-1',
      });
      await request('del-1', [U1], T0 + 1);
      const claimed = await store.claim({ workerId: 'w2', limit: 10, leaseMs: LEASE, now: T0 + 2 });
      expect(claimed.map((job) => job.messageId)).toEqual(['x1', 'deletion:del-1:0']);
      const deletion = asDeletion(claimed[1]!);
      expect(await store.purgeErasedLane(deletion)).toEqual({ jobs: 0, deadLetters: 1 });
      expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
      const done = await store.finishErasure(deletion, record(T0 + 3, 'done'), {
        status: 'done',
        contactIds: ['c-1'],
      });
      expect(done).toBe(true);
      expect(await store.idCache.getContactId(contactKey('dest-1', 'external_id', 'u1'))).toBeUndefined();
      expect(
        await store.idCache.getContactId(contactKey('dest-1', 'email', 'u1@example.com')),
      ).toBeUndefined();
      expect(await store.idCache.getContactId(contactKey('dest-1', 'external_id', 'u2'))).toBe('c-2');
      expect(
        await store.idCache.hasAttachment({
          destinationId: 'dest-1',
          contactId: 'c-1',
          intercomCompanyId: 'co-1',
        }),
      ).toBe(false);
      expect(await store.erasureRecords('del-1')).toEqual([
        expect.objectContaining({
          status: 'done',
          finishedAtMs: T0 + 3,
          contactsDeleted: 1,
          purgedDeadLetters: 1,
        }),
      ]);
      expect(await store.erasureCounts()).toEqual([{ destinationId: 'dest-1', status: 'done', count: 1 }]);
      expect(await claimIds(T0 + 4)).toEqual([]);
    });

    it('L-4 a deletion by email runs in the email lane; a failed one keeps its reason and no key', async () => {
      const store = fixture.store();
      const email: ErasureKey = { kind: 'email', value: ' Ann@Example.com ' };
      const byEmail = {
        type: 'identify',
        messageId: 'i1',
        traits: { email: 'ann@example.com' },
        timestamp: '2024-05-01T12:00:00.000Z',
      } as const;
      await store.enqueue([incoming(byEmail)]);
      await request('del-2', [email], T0);
      const deletion = asDeletion(await claimOne(T0 + 1));
      expect(deletion.laneKey).toBe('e:ann@example.com');
      await store.finishErasure(deletion, record(T0 + 2, 'dead'), {
        status: 'failed',
        error: 'rejected 400',
      });
      const [row] = await store.erasureRecords('del-2');
      expect(row).toMatchObject({ status: 'failed', error: 'rejected 400', purgedJobs: 1 });
      expect(JSON.stringify(row).toLowerCase()).not.toContain('ann@');
      expect(await store.erasureRecords('unknown')).toEqual([]);
    });
  });
}
