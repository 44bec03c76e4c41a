import { type ManualClock, createManualClock } from '../../clock/manual-clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionOutcome, IntercomFailure } from '../../intercom/outcome.js';
import type { Plan } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { IncomingEvent } from '../store/enqueue.js';
import type { SqliteJobStore } from '../store/sqlite/sqlite-store.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import type { DeliverPlan } from '../../intercom/operations.js';
import type { DeliveryTarget, DeliveryWorkerOptions } from './worker.js';
import { DeliveryWorker } from './worker.js';
import { createRatePacer } from './rate-pacer.js';

const T0 = 1_714_564_800_000;
const HOUR = 60 * 60_000;

/** A tiny Intercom stand-in: identify creates the user, a track of an unknown user is 404 (C-RACE-2). */
class FakeIntercom {
  readonly delivered: string[] = [];
  readonly users = new Set<string>();
  /** Failures to answer, in order, per messageId. */
  readonly failures = new Map<string, IntercomFailure[]>();
  tokenValid = true;

  target(overrides: Partial<DeliveryTarget> = {}): DeliveryTarget {
    return {
      map: (event) => planFor(event),
      execute: (plan) => Promise.resolve(this.execute(plan)),
      ...overrides,
    };
  }

  execute(plan: DeliverPlan): ExecutionOutcome {
    const op = plan.operations[0]!;
    const messageId = plan.warnings[0]?.detail ?? '';
    const fail = (failure: IntercomFailure): ExecutionOutcome => ({
      kind: 'failed',
      calls: 1,
      operation: op.kind,
      failure,
      notes: [],
    });
    if (!this.tokenValid)
      return fail({ kind: 'http', status: 401, code: 'unauthorized', message: 'Access Token Invalid' });
    const scripted = this.failures.get(messageId)?.shift();
    if (scripted !== undefined) return fail(scripted);
    const user =
      op.kind === 'upsert_contact' || op.kind === 'submit_event' ? (op.identity.externalId ?? '') : '';
    if (op.kind === 'submit_event' && !this.users.has(user)) {
      return fail({ kind: 'http', status: 404, code: 'not_found', message: 'User Not Found' });
    }
    if (op.kind === 'upsert_contact') this.users.add(user);
    this.delivered.push(messageId);
    return { kind: 'delivered', calls: 1, notes: [] };
  }
}

// The fake plan carries the messageId in a warning so the fake Intercom can report what it received.
function planFor(event: SegmentEvent): Plan {
  const tag = { code: 'invalid_date', field: 'messageId', detail: event.messageId } as const;
  const identity = { externalId: event.userId ?? '' };
  switch (event.type) {
    case 'identify':
      return {
        kind: 'deliver',
        operations: [{ kind: 'upsert_contact', identity, fields: {}, attributeTypes: {} }],
        warnings: [tag],
      };
    case 'track':
      return {
        kind: 'deliver',
        operations: [{ kind: 'submit_event', identity, event: { event_name: event.event, created_at: 1 } }],
        warnings: [tag],
      };
    case 'page':
    case 'screen':
    case 'group':
    case 'alias':
      return { kind: 'skip', reason: 'no_server_effect', detail: event.type };
  }
}

function track(messageId: string, userId: string): SegmentEvent {
  return { type: 'track', messageId, userId, event: 'Paid', timestamp: '2024-05-01T12:00:00.000Z' };
}

function identify(messageId: string, userId: string): SegmentEvent {
  return { type: 'identify', messageId, userId, timestamp: '2024-05-01T12:00:00.000Z' };
}

function incoming(event: SegmentEvent, destinationId = 'dest-1'): IncomingEvent {
  return { sourceId: 'source-1', destinationId, event, receivedAt: '2024-05-01T12:00:00.000Z' };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

let dir: string;
let store: SqliteJobStore;
let clock: ManualClock;
let intercom: FakeIntercom;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'delivery-worker-'));
  store = openSqliteStore({ path: path.join(dir, 'delivery.sqlite') });
  clock = createManualClock(T0);
  intercom = new FakeIntercom();
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function worker(overrides: Partial<DeliveryWorkerOptions> = {}): DeliveryWorker {
  const target = intercom.target();
  return new DeliveryWorker({
    store,
    destinations: () => target,
    clock,
    random: () => 0.5,
    workerId: 'w1',
    concurrency: 8,
    leaseMs: 30_000,
    pollMs: 100,
    ...overrides,
  });
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
