import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryTarget } from '../src/delivery/worker/delivery-target.js';
import type { SegmentEvent } from '../src/segment/event.js';
import {
  T0,
  deferred,
  identify,
  incoming,
  track,
  type FakeIntercom,
  openWorkerFixture,
  type WorkerFixture,
} from './delivery-worker-fixture.js';
import type { ManualClock } from '../src/clock/manual-clock.js';
import type { SqliteJobStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import type { DeliveryWorker } from '../src/delivery/worker/worker.js';
import type { DeliveryWorkerOptions } from '../src/delivery/worker/worker-options.js';

// The worker's loop and shutdown, coalescing (isBulkAPIEnabled) and the C-TR-6 name count.

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

describe('DeliveryWorker loop and shutdown', () => {
  it('stop() stops claiming, waits for in-flight calls and leaves nothing leased', async () => {
    intercom.users.add('a').add('b');
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a'))]);
    const gate = deferred();
    const target = intercom.target({
      execute: async (plan) => {
        await gate.promise;
        return intercom.execute(plan);
      },
    });
    // Sleeps end only when woken, so the loop is driven by events, not by time.
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const w = worker({ destinations: () => target, sleep });
    w.start();
    await new Promise((r) => setImmediate(r));
    let stopped = false;
    const stopping = w.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(intercom.delivered).toEqual(['a1']);
    expect(await store.queueDepth(clock.now())).toMatchObject([{ pending: 1, inFlight: 0 }]);
  });

  it('renews the leases of long calls, so no other worker takes the job meanwhile', async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('a1', 'a'))]);
    const gate = deferred();
    const target = intercom.target({
      execute: async (plan) => {
        await gate.promise;
        return intercom.execute(plan);
      },
    });
    // Each loop iteration waits here until the test lets it go on.
    const wakers: Array<() => void> = [];
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => {
        wakers.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
    };
    const w = worker({ destinations: () => target, sleep, leaseMs: 30_000 });
    w.start();
    await settle();
    clock.advance(25_000);
    wakers.shift()?.();
    await settle();
    clock.advance(15_000); // past the first lease (T0 + 30 s), inside the renewed one
    expect(await store.claim({ workerId: 'other', limit: 1, leaseMs: 30_000, now: clock.now() })).toEqual([]);
    gate.resolve();
    await w.stop();
    expect(intercom.delivered).toEqual(['a1']);
  });

  it('a probe that hangs does not hold up deliveries to other destinations', async () => {
    intercom.users.add('b');
    await store.pauseDestination('dest-1', undefined, 'unauthorized', T0);
    await store.enqueue([incoming(track('b1', 'b'), 'dest-2')]);
    const gate = deferred();
    const paused = intercom.target({ probe: () => gate.promise.then(() => true) });
    const healthy = intercom.target();
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const w = worker({ destinations: (id) => (id === 'dest-1' ? paused : healthy), sleep });
    w.start();
    for (let i = 0; i < 50 && intercom.delivered.length === 0; i += 1)
      await new Promise((r) => setImmediate(r));
    expect(intercom.delivered).toEqual(['b1']);
    expect(await store.pausedDestinations(clock.now())).toHaveLength(1);
    gate.resolve();
    await w.stop();
    expect(await store.pausedDestinations(clock.now())).toEqual([]);
  });

  it('the loop delivers a backlog across lanes without a test driving each round', async () => {
    intercom.users.add('a').add('b');
    await store.enqueue([incoming(track('a1', 'a')), incoming(track('a2', 'a')), incoming(track('b1', 'b'))]);
    const sleep = (_ms: number, signal: AbortSignal): Promise<void> =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const w = worker({ sleep, concurrency: 1 });
    w.start();
    for (let i = 0; i < 50 && intercom.delivered.length < 3; i += 1)
      await new Promise((r) => setImmediate(r));
    await w.stop();
    expect(intercom.delivered.filter((id) => id.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(intercom.delivered).toHaveLength(3);
  });
});

describe('DeliveryWorker records what the mapping left out', () => {
  it("C-TR-4 the record of a delivered job carries the plan's mapping warnings", async () => {
    intercom.users.add('a');
    await store.enqueue([incoming(track('t1', 'a'))]);
    const records: unknown[] = [];
    await worker({ onSettled: ({ record }) => records.push(record) }).runOnce();
    expect(intercom.delivered).toEqual(['t1']);
    // The fake plan's one warning (planFor) is its messageId tag: it reaches the record unchanged.
    expect(records).toEqual([
      expect.objectContaining({
        decision: 'done',
        warnings: [{ code: 'invalid_date', field: 'messageId', detail: 't1' }],
      }),
    ]);
  });

  it('the record of a dead job keeps the warnings with its history', async () => {
    intercom.users.add('a');
    intercom.failures.set('t2', [{ kind: 'http', status: 400, code: 'parameter_invalid', message: 'bad' }]);
    await store.enqueue([incoming(track('t2', 'a'))]);
    await worker().runOnce();
    const [letter] = await store.listDeadLetters({ limit: 10 });
    expect(letter?.attempts.at(-1)?.warnings).toEqual([
      { code: 'invalid_date', field: 'messageId', detail: 't2' },
    ]);
  });
});

describe('DeliveryWorker coalescing with isBulkAPIEnabled (issue #5)', () => {
  it('sends adjacent identifies of one user as one call, keeping their order with other event types', async () => {
    const target: DeliveryTarget = { ...intercom.target(), coalesce: true };
    await store.enqueue([
      incoming(identify('i1', 'u')),
      incoming(identify('i2', 'u')),
      incoming(identify('i3', 'u')),
      incoming(track('t1', 'u')),
      incoming(identify('i4', 'u')),
      incoming(identify('other', 'v')),
    ]);
    const w = worker({ destinations: () => target });
    for (let i = 0; i < 4; i += 1) await w.runOnce();

    // The merged identify carries the latest event's messageId; the track still comes after it. User v's
    // lane runs beside user u's, so where 'other' falls among u's calls is not an ordering guarantee.
    expect(intercom.delivered.filter((id) => id !== 'other')).toEqual(['i3', 't1', 'i4']);
    expect(intercom.delivered.filter((id) => id === 'other')).toEqual(['other']);
    expect(await store.deliveryCounts()).toEqual([
      { destinationId: 'dest-1', result: 'delivered', count: 6 },
    ]);
    const [depth] = await store.queueDepth(clock.now());
    expect(depth?.pending ?? 0).toBe(0);
  });

  it('gives merged identifies back when the call fails, and merges them again on the retry', async () => {
    const target: DeliveryTarget = { ...intercom.target(), coalesce: true };
    intercom.failures.set('i2', [{ kind: 'http', status: 503 }]);
    await store.enqueue([incoming(identify('i1', 'u')), incoming(identify('i2', 'u'))]);
    const w = worker({ destinations: () => target });
    await w.runOnce();
    expect(intercom.delivered).toEqual([]);
    clock.advance(500);
    await w.runOnce();
    expect(intercom.delivered).toEqual(['i2']);
    expect(await store.deliveryCounts()).toEqual([
      { destinationId: 'dest-1', result: 'delivered', count: 2 },
    ]);
  });

  it('without the setting, delivers identifies one by one', async () => {
    await store.enqueue([incoming(identify('i1', 'u')), incoming(identify('i2', 'u'))]);
    const w = worker();
    await w.runOnce();
    await w.runOnce();
    expect(intercom.delivered).toEqual(['i1', 'i2']);
  });
});

describe('DeliveryWorker event-name count (C-TR-6)', () => {
  it('C-TR-6 counts distinct event names per workspace and warns from 100', async () => {
    intercom.users.add('u');
    const warnings: object[] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (f: object) => warnings.push(f) };
    const named = (i: number, name: string): SegmentEvent => ({
      type: 'track',
      messageId: `t${i}`,
      userId: 'u',
      event: name,
      timestamp: '2024-05-01T12:00:00.000Z',
    });
    const events = Array.from({ length: 99 }, (_, i) => named(i, `Step ${i}`));
    events.push(named(99, 'step 0')); // the same name in another case is not a new name
    await store.enqueue(events.map((e) => incoming(e)));
    const w = worker({ logger });
    while ((await w.runOnce()) > 0);
    expect(await store.eventNameCounts()).toEqual([{ destinationId: 'dest-1', count: 99 }]);
    expect(warnings).toEqual([]);

    await store.enqueue([incoming(named(100, 'Step 99')), incoming(named(101, 'Step 100'))]);
    while ((await w.runOnce()) > 0);
    expect(await store.eventNameCounts()).toEqual([{ destinationId: 'dest-1', count: 101 }]);
    expect(warnings).toEqual([
      expect.objectContaining({ destinationId: 'dest-1', eventNames: 100, limit: 120 }),
      expect.objectContaining({ destinationId: 'dest-1', eventNames: 101, limit: 120 }),
    ]);
  });

  it('C-TR-6 a rejection for the event-name limit is a dead letter with that reason', async () => {
    intercom.users.add('u');
    intercom.failures.set('t1', [
      { kind: 'http', status: 400, code: 'event_name_limit_exceeded', message: 'too many names' },
    ]);
    await store.enqueue([incoming(track('t1', 'u'))]);
    await worker().runOnce();
    const [dead] = await store.listDeadLetters({ limit: 10 });
    expect(dead).toMatchObject({ reason: 'event_name_limit_exceeded', code: 'event_name_limit_exceeded' });
  });
});
