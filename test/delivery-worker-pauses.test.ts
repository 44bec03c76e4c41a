import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPERATOR_PAUSE_REASON } from '../src/delivery/store/pauses.js';
import type { DeliveryTarget } from '../src/delivery/worker/delivery-target.js';
import { createRatePacer } from '../src/delivery/worker/rate-pacer.js';
import {
  T0,
  identify,
  incoming,
  planFor,
  track,
  type FakeIntercom,
  openWorkerFixture,
  type WorkerFixture,
} from './delivery-worker-fixture.js';
import type { ManualClock } from '../src/clock/manual-clock.js';
import type { SqliteJobStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import type { DeliveryWorker } from '../src/delivery/worker/worker.js';
import type { DeliveryWorkerOptions } from '../src/delivery/worker/worker-options.js';

// The worker under rate limits (429, proactive pacing) and rejected tokens.

let fixture: WorkerFixture;
let store: SqliteJobStore;
let clock: ManualClock;
let intercom: FakeIntercom;

beforeEach(() => {
  fixture = openWorkerFixture();
  ({ store, clock, intercom } = fixture);
});

afterEach(() => fixture.close());

function worker(overrides: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
  return fixture.worker(overrides);
}

describe('DeliveryWorker rate limits and pauses', () => {
  it('a 429 pauses only its workspace until reset and does not count as an attempt', async () => {
    intercom.users.add('a').add('b');
    intercom.failures.set('a1', [
      { kind: 'http', status: 429, rateLimit: { limit: 167, remaining: 0, resetAtSeconds: T0 / 1000 + 5 } },
    ]);
    await store.enqueue([
      incoming(track('a1', 'a'), 'dest-1'),
      incoming(track('b1', 'b'), 'dest-2'),
      incoming(track('b2', 'b'), 'dest-2'),
    ]);
    const w = worker();

    await w.runOnce();
    expect(await store.pausedDestinations(clock.now())).toMatchObject([
      { destinationId: 'dest-1', reason: 'rate_limited', untilMs: T0 + 5_000 },
    ]);
    await w.runOnce();
    expect(intercom.delivered).toEqual(['b1', 'b2']);

    clock.advance(5_000);
    const [job] = await store.claim({ workerId: 'peek', limit: 1, leaseMs: 1, now: clock.now() });
    expect(job).toMatchObject({ messageId: 'a1', attempts: 0 });
    clock.advance(1);
    await w.runOnce();
    expect(intercom.delivered).toEqual(['b1', 'b2', 'a1']);
  });

  it('a 401 pauses the destination (nothing dead-lettered) and a successful probe resumes it', async () => {
    intercom.users.add('a');
    intercom.tokenValid = false;
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
    const target = intercom.target({ probe: () => Promise.resolve(intercom.tokenValid) });
    const w = worker({ destinations: () => target, probeIntervalMs: 60_000 });

    await w.runOnce();
    expect(await store.pausedDestinations(clock.now())).toMatchObject([
      { destinationId: 'dest-1', reason: 'unauthorized' },
    ]);
    clock.advance(60_000);
    await w.runOnce(); // probe fails: still paused, nothing attempted
    expect(await store.pausedDestinations(clock.now())).toHaveLength(1);

    intercom.tokenValid = true;
    clock.advance(60_000);
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a1', 'a2']);
    expect(await store.pausedDestinations(clock.now())).toEqual([]);
    expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
  });

  it('an operator pause is never lifted by a successful probe, only by a resume', async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('a1', 'a'))]);
    await store.pauseDestination('dest-1', undefined, OPERATOR_PAUSE_REASON, clock.now());
    const target = intercom.target({ probe: () => Promise.resolve(true) });
    const w = worker({ destinations: () => target, probeIntervalMs: 60_000 });

    await w.runOnce();
    clock.advance(60_000);
    await w.runOnce();
    expect(intercom.delivered).toEqual([]);
    expect(await store.pausedDestinations(clock.now())).toMatchObject([{ reason: OPERATOR_PAUSE_REASON }]);

    await store.resumeDestination('dest-1');
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a1']);
  });

  it('without a probe, a 401 pause lasts one probe interval and the next job probes', async () => {
    intercom.users.add('a');
    intercom.tokenValid = false;
    await store.enqueue([incoming(track('a1', 'a'))]);
    const w = worker({ probeIntervalMs: 60_000 });
    await w.runOnce();
    expect(await store.pausedDestinations(clock.now())).toMatchObject([
      { reason: 'unauthorized', untilMs: T0 + 60_000 },
    ]);
    intercom.tokenValid = true;
    clock.advance(60_000);
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a1']);
  });

  it('pauses proactively when a response says the window budget is spent', async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
    const target = intercom.target({
      execute: (plan) =>
        Promise.resolve({
          ...intercom.execute(plan),
          rateLimit: { limit: 167, remaining: 0, resetAtSeconds: T0 / 1000 + 3 },
        }),
    });
    const w = worker({ destinations: () => target });
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a1']);
    clock.advance(3_000);
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a1', 'a2']);
  });
});

describe('DeliveryWorker proactive rate limiting (issue #5)', () => {
  it('holds a workspace whose window is spent until its reset, without calling Intercom; others continue', async () => {
    const resetAtMs = T0 + 10_000;
    const executed: string[] = [];
    const withHeaders = (remaining: number): DeliveryTarget => ({
      map: (event) => planFor(event),
      execute: (plan) => {
        executed.push(plan.warnings[0]?.detail ?? '');
        return Promise.resolve({
          kind: 'delivered',
          calls: 1,
          notes: [],
          rateLimit: { limit: 10, remaining, resetAtSeconds: resetAtMs / 1000 },
        });
      },
    });
    const targets = new Map([
      ['spent', withHeaders(5)],
      ['fresh', withHeaders(9)],
    ]);
    const pacer = createRatePacer({ reserveCalls: 2, maxWaitMs: 60_000, unknownResetWaitMs: 1_000 });
    const w = worker({ pacer, destinations: (id) => targets.get(id), concurrency: 1 });
    await store.enqueue([incoming(identify('s1', 'a'), 'spent'), incoming(identify('f1', 'b'), 'fresh')]);
    await w.runOnce();
    await w.runOnce();
    expect(executed).toEqual(['s1', 'f1']);

    await store.enqueue([
      incoming(identify('s2', 'a'), 'spent'),
      incoming(identify('s3', 'a'), 'spent'),
      incoming(identify('f2', 'b'), 'fresh'),
    ]);
    for (let i = 0; i < 4; i += 1) await w.runOnce();
    // 5 remaining, 2 kept in reserve, an identify reserves 3 calls (two lookups + write) and spends 1:
    // one more plan for `spent`, then it waits for the reset.
    expect(executed).toEqual(['s1', 'f1', 's2', 'f2']);
    expect(await store.pausedDestinations(clock.now())).toEqual([
      expect.objectContaining({ destinationId: 'spent', reason: 'rate_limit_paced', untilMs: resetAtMs }),
    ]);

    clock.advance(10_000);
    await w.runOnce();
    expect(executed).toEqual(['s1', 'f1', 's2', 'f2', 's3']);
    expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
  });
});
