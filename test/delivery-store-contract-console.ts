import { describe, expect, it } from 'vitest';
import { incoming, LEASE, record, type StoreFixture, T0, track } from './delivery-store-fixture.js';

/** Part of the job-store contract: what the console reads and writes (history, tokens, dead letters). */
export function describeConsoleContract(name: string, fixture: StoreFixture): void {
  describe(`${name} console roles`, () => {
    it('adds flow counts to their minute, reads them back oldest first and prunes old minutes', async () => {
      const store = fixture.store();
      const minute = 60_000 * Math.floor(T0 / 60_000);
      await store.addFlowCounts([
        { destinationId: 'dest-1', minuteMs: minute, series: 'received', count: 3 },
        { destinationId: 'dest-1', minuteMs: minute - 60_000, series: 'delivered', count: 1 },
      ]);
      // A second process (or a later flush) adds to the same minute rather than replacing it.
      await store.addFlowCounts([
        { destinationId: 'dest-1', minuteMs: minute, series: 'received', count: 2 },
      ]);
      expect(await store.flowCountsSince(minute - 60_000)).toEqual([
        { destinationId: 'dest-1', minuteMs: minute - 60_000, series: 'delivered', count: 1 },
        { destinationId: 'dest-1', minuteMs: minute, series: 'received', count: 5 },
      ]);
      expect(await store.pruneFlowCounts(minute)).toBe(1);
      expect(await store.flowCountsSince(0)).toEqual([
        { destinationId: 'dest-1', minuteMs: minute, series: 'received', count: 5 },
      ]);
    });

    it('keeps one sealed token per destination, replaces it and deletes it', async () => {
      const store = fixture.store();
      await store.saveToken({ destinationId: 'dest-1', sealed: 'v1.a', appId: 'app1', connectedAtMs: T0 });
      await store.saveToken({ destinationId: 'dest-1', sealed: 'v1.b', connectedAtMs: T0 + 1 });
      await store.saveToken({ destinationId: 'dest-2', sealed: 'v1.c', appId: 'app2', connectedAtMs: T0 });
      expect(await store.storedTokens()).toEqual([
        { destinationId: 'dest-1', sealed: 'v1.b', connectedAtMs: T0 + 1 },
        { destinationId: 'dest-2', sealed: 'v1.c', appId: 'app2', connectedAtMs: T0 },
      ]);
      expect(await store.deleteToken('dest-1')).toBe(true);
      expect(await store.deleteToken('dest-1')).toBe(false);
      expect((await store.storedTokens()).map((t) => t.destinationId)).toEqual(['dest-2']);
    });

    it('lists dead letters newest first, filtered, and reads one by id', async () => {
      const store = fixture.store();
      await store.enqueue([
        incoming(track('a1', 'a')),
        incoming(track('b1', 'b')),
        incoming(track('c1', 'c')),
      ]);
      const jobs = await store.claim({ workerId: 'w1', limit: 3, leaseMs: LEASE, now: T0 });
      for (const job of jobs) {
        const reason = job.messageId === 'b1' ? 'user_not_found' : 'rejected';
        await store.kill(job, { reason }, record(T0, 'dead'), T0);
      }
      const newest = await store.listDeadLetters({ limit: 10, newestFirst: true });
      expect(newest.map((d) => d.messageId)).toEqual(['c1', 'b1', 'a1']);
      const rejected = await store.listDeadLetters({ limit: 1, newestFirst: true, reason: 'rejected' });
      expect(rejected.map((d) => d.messageId)).toEqual(['c1']);
      expect(await store.deadLetter(newest[1]!.id)).toMatchObject({
        messageId: 'b1',
        reason: 'user_not_found',
      });
      expect(await store.deadLetter(999_999)).toBeUndefined();
    });
  });
}
