import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  T0,
  HOUR,
  deferred,
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

// The worker's lanes (C-RACE-1, C-RACE-2) and what it does with each outcome.

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

describe('DeliveryWorker lanes', () => {
  it('C-RACE-1 a failing job holds back only its own user’s later jobs; other users continue', async () => {
    intercom.users.add('a').add('b');
    intercom.failures.set('a1', [{ kind: 'http', status: 500 }]);
    await store.enqueue([
      incoming(track('a1', 'a')),
      incoming(track('a2', 'a')),
      incoming(track('b1', 'b')),
      incoming(track('b2', 'b')),
    ]);
    const w = worker();

    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['b1', 'b2']);

    clock.advance(500); // the first retry's backoff with random 0.5
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['b1', 'b2', 'a1', 'a2']);
  });

  it('C-RACE-2 a track received before the identify that creates its user is delivered right after it', async () => {
    await store.enqueue([
      incoming(track('t1', 'u')),
      incoming(identify('i1', 'u')),
      incoming(track('t2', 'u')),
    ]);
    const w = worker();

    await w.runOnce(); // t1 → 404, parked: it no longer blocks the identify
    expect(intercom.delivered).toEqual([]);
    await w.runOnce(); // the identify is not held back (no time passed)
    expect(intercom.delivered).toEqual(['i1']);
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['i1', 't1', 't2']);
    expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
  });

  it('C-RACE-2 a track whose user never appears is dead-lettered after 1 h with user_not_found', async () => {
    await store.enqueue([incoming(track('t1', 'ghost'))]);
    const w = worker({ random: () => 1 });
    const unfinished = async (): Promise<number> => {
      const [depth] = await store.queueDepth(clock.now());
      return (depth?.pending ?? 0) + (depth?.parked ?? 0);
    };
    let rounds = 0;
    for (; rounds < 40 && (await unfinished()) > 0; rounds += 1) {
      await w.runOnce();
      clock.advance(5 * 60_000);
    }
    expect(rounds).toBeGreaterThan(10);
    const [dead] = await store.listDeadLetters({ limit: 10 });
    expect(dead).toMatchObject({ messageId: 't1', reason: 'user_not_found', status: 404, code: 'not_found' });
    expect(dead!.diedAtMs - T0).toBeGreaterThanOrEqual(HOUR);
    expect(dead!.diedAtMs - T0).toBeLessThan(HOUR + 10 * 60_000);
    expect(dead!.attempts.every((a) => a.failure?.kind === 'http')).toBe(true);
  });

  it('runs different lanes in parallel, one job per lane at a time', async () => {
    intercom.users.add('a').add('b');
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a')), incoming(track('b1', 'b'))]);
    const gate = deferred();
    const started: string[] = [];
    const target = intercom.target({
      execute: async (plan) => {
        started.push(plan.warnings[0]!.detail);
        await gate.promise;
        return intercom.execute(plan);
      },
    });
    const w = worker({ destinations: () => target });
    const round = w.runOnce();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'b1']);
    gate.resolve();
    expect(await round).toBe(2);
  });
});

describe('DeliveryWorker outcomes', () => {
  it('completes skipped plans at once and counts the reason', async () => {
    await store.enqueue([
      incoming({ type: 'page', messageId: 'p1', userId: 'a', timestamp: '2024-05-01T12:00:00.000Z' }),
    ]);
    await worker().runOnce();
    expect(await store.deliveryCounts()).toEqual([
      { destinationId: 'dest-1', result: 'skipped:no_server_effect', count: 1 },
    ]);
    expect(await store.queueDepth(clock.now())).toEqual([]);
  });

  it('dead-letters a 400 with the plan and Intercom’s code, and the lane moves on', async () => {
    intercom.users.add('a');
    intercom.failures.set('a1', [
      { kind: 'http', status: 400, code: 'parameter_invalid', message: 'bad metadata' },
    ]);
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
    const w = worker();
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['a2']);
    const [dead] = await store.listDeadLetters({ limit: 10 });
    expect(dead).toMatchObject({
      reason: 'rejected',
      status: 400,
      code: 'parameter_invalid',
      message: 'bad metadata',
      plan: planFor(track('a1', 'a')),
    });
  });

  it('dead-letters an event whose mapping throws, keeping the event', async () => {
    await store.enqueue([incoming(track('a1', 'a'))]);
    const target = intercom.target({
      map: () => {
        throw new RangeError('boom');
      },
    });
    await worker({ destinations: () => target }).runOnce();
    const [dead] = await store.listDeadLetters({ limit: 10 });
    expect(dead).toMatchObject({ reason: 'mapping_failed', message: 'RangeError', event: track('a1', 'a') });
  });

  it('holds (never drops) the jobs of a destination that is not configured', async () => {
    await store.enqueue([incoming(track('a1', 'a'))]);
    await worker({ destinations: () => undefined }).runOnce();
    expect(await store.queueDepth(clock.now())).toMatchObject([{ pending: 1, deadLetters: 0 }]);
    expect(await store.pausedDestinations(clock.now())).toMatchObject([{ reason: 'not_configured' }]);
  });

  it('with its destinations listed, leaves another destination’s jobs unclaimed and unpaused for the processes that deliver it', async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('x1', 'x'), 'dest-other'), incoming(track('a1', 'a'))]);
    const target = intercom.target();
    const own = worker({
      destinations: (id) => (id === 'dest-1' ? target : undefined),
      destinationIds: ['dest-1'],
    });
    expect(await own.runOnce()).toBe(1);
    expect(intercom.delivered).toEqual(['a1']);
    expect(await store.pausedDestinations(clock.now())).toEqual([]);
    expect(await store.queueDepth(clock.now())).toMatchObject([{ destinationId: 'dest-other', pending: 1 }]);
    // The process that delivers it claims it.
    intercom.users.add('x');
    expect(await worker().runOnce()).toBe(1);
    expect(intercom.delivered).toEqual(['a1', 'x1']);
  });

  it('reports every attempt to the observer', async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('a1', 'a'))]);
    const seen: string[] = [];
    await worker({ onSettled: (s) => seen.push(`${s.job.messageId}:${s.record.decision}`) }).runOnce();
    expect(seen).toEqual(['a1:done']);
  });
});
