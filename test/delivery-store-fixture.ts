import { beforeEach, afterEach } from 'vitest';
import type { IncomingEvent } from '../src/delivery/store/enqueue.js';
import type { AttemptRecord, ClaimedJob } from '../src/delivery/store/job.js';
import type { JobStore } from '../src/delivery/store/job-store.js';
import type { SegmentEvent } from '../src/segment/event.js';

/** The contract's clock: 2024-05-01T12:00:00Z. */
export const T0 = 1_714_564_800_000;
/** The lease every contract claim takes. */
export const LEASE = 30_000;

/** A track of `userId` at the contract's time. */
export function track(messageId: string, userId: string, event = 'Paid'): SegmentEvent {
  return { type: 'track', messageId, userId, event, timestamp: '2024-05-01T12:00:00.000Z' };
}

/** An identify of `userId` with an email trait. */
export function identify(messageId: string, userId: string): SegmentEvent {
  return {
    type: 'identify',
    messageId,
    userId,
    traits: { email: `${userId}@example.com` },
    timestamp: '2024-05-01T12:00:00.000Z',
  };
}

/** An accepted event of `destinationId` from `sourceId`. */
export function incoming(
  event: SegmentEvent,
  destinationId = 'dest-1',
  sourceId = 'source-1',
): IncomingEvent {
  return { sourceId, destinationId, event, receivedAt: '2024-05-01T12:00:00.000Z' };
}

/** An attempt record (by default a counted retry after a 500). */
export function record(
  atMs: number,
  decision: AttemptRecord['decision'] = 'retry',
  counted = true,
): AttemptRecord {
  return { atMs, decision, counted, calls: 1, failure: { kind: 'http', status: 500 } };
}

/** A fresh, empty store per test, and the claims the contract makes of it. */
export interface StoreFixture {
  /** The current test's store. */
  store(): JobStore;
  /** The messageIds of a claim at `now`. */
  claimIds(now: number, workerId?: string, limit?: number): Promise<string[]>;
  /** The one job a claim at `now` hands out; fails when there is none. */
  claimOne(now: number, workerId?: string): Promise<ClaimedJob>;
}

/** Opens a store before each test of the calling scope and closes it after. */
export function storeFixture(open: () => Promise<JobStore>): StoreFixture {
  let current: JobStore | undefined;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const store = (): JobStore => {
    if (current === undefined) throw new TypeError('no store outside a test');
    return current;
  };
  return {
    store,
    async claimIds(now, workerId = 'w1', limit = 10) {
      const jobs = await store().claim({ workerId, limit, leaseMs: LEASE, now });
      return jobs.map((job) => job.messageId);
    },
    async claimOne(now, workerId = 'w1') {
      const [job] = await store().claim({ workerId, limit: 1, leaseMs: LEASE, now });
      if (job === undefined) throw new TypeError('expected a claimable job');
      return job;
    },
  };
}
