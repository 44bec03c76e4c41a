import { describe, expect, it } from 'vitest';
import type { JobStore } from '../src/delivery/store/job-store.js';
import { describeConsoleContract } from './delivery-store-contract-console.js';
import { describeLaneContract } from './delivery-store-contract-lanes.js';
import { describeLifecycleContract } from './delivery-store-contract-lifecycle.js';
import { describeFailureContract } from './delivery-store-contract-failures.js';
import { describeReportContract } from './delivery-store-contract-reports.js';
import { identify, incoming, record, storeFixture, T0, track } from './delivery-store-fixture.js';

/**
 * The semantics every `JobStore` must have (ARCHITECTURE.md decision 4), run against each
 * implementation with a fresh, empty store per test: I-5 dedupe, C-RACE-1 lanes, C-RACE-2 parking,
 * leases, dead letters, pauses and reports, and the delivery lifecycle (L-2, L-3).
 */
export function describeJobStoreContract(name: string, open: () => Promise<JobStore>): void {
  const fixture = storeFixture(open);
  const { claimIds, claimOne } = fixture;

  describe(`${name} enqueue`, () => {
    it('I-5 stores a (source, messageId, destination) once, within a batch and across batches', async () => {
      const store = fixture.store();
      const first = await store.enqueue([
        incoming(track('m1', 'u1')),
        incoming(track('m1', 'u1')),
        incoming(track('m2', 'u1')),
      ]);
      const retry = await store.enqueue([incoming(track('m1', 'u1')), incoming(track('m2', 'u1'))]);
      expect(first).toEqual({ stored: 2, duplicates: 1, duplicateIndexes: [1] });
      expect(retry).toEqual({ stored: 0, duplicates: 2, duplicateIndexes: [0, 1] });
      expect(await claimIds(T0)).toEqual(['m1']);
    });

    it('I-5 the same messageId from another source or for another destination is a different event', async () => {
      const store = fixture.store();
      const result = await store.enqueue([
        incoming(track('m1', 'u1')),
        incoming(track('m1', 'u1'), 'dest-1', 'source-2'),
        incoming(track('m1', 'u1'), 'dest-2'),
      ]);
      expect(result).toEqual({ stored: 3, duplicates: 0, duplicateIndexes: [] });
    });

    it('I-5 remembers delivered messageIds until the receipts are pruned', async () => {
      const store = fixture.store();
      await store.enqueue([incoming(track('m1', 'u1'))]);
      await store.complete(await claimOne(T0), record(T0, 'done'));
      expect(await store.enqueue([incoming(track('m1', 'u1'))])).toEqual({
        stored: 0,
        duplicates: 1,
        duplicateIndexes: [0],
      });
      expect(await store.pruneReceipts(Date.parse('2024-05-01T12:00:00.001Z'))).toBe(1);
      expect(await store.enqueue([incoming(track('m1', 'u1'))])).toEqual({
        stored: 1,
        duplicates: 0,
        duplicateIndexes: [],
      });
    });

    it('keeps the event as JSON and hands it back unchanged', async () => {
      const store = fixture.store();
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

  describeLaneContract(name, fixture);
  describeReportContract(name, fixture);
  describeLifecycleContract(name, fixture);
  describeFailureContract(name, fixture);
  describeConsoleContract(name, fixture);
}
