import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock, type ManualClock } from '../src/clock/manual-clock.js';
import type { DeliverPlan, Plan } from '../src/intercom/operations.js';
import type { ExecutionOutcome, IntercomFailure } from '../src/intercom/outcome.js';
import type { IncomingEvent } from '../src/delivery/store/enqueue.js';
import { openSqliteStore, type SqliteJobStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import type { DeliveryTarget } from '../src/delivery/worker/delivery-target.js';
import { DeliveryWorker } from '../src/delivery/worker/worker.js';
import type { DeliveryWorkerOptions } from '../src/delivery/worker/worker-options.js';
import type { SegmentEvent } from '../src/segment/event.js';

// The worker's tests run it against a real SQLite store, a manual clock and a fake Intercom.

/** The tests' clock at start: 2024-05-01T12:00:00Z. */
export const T0 = 1_714_564_800_000;
/** One hour in ms. */
export const HOUR = 60 * 60_000;

/** A tiny Intercom stand-in: identify creates the user, a track of an unknown user is 404 (C-RACE-2). */
export class FakeIntercom {
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
export function planFor(event: SegmentEvent): Plan {
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

/** A track of `userId`. */
export function track(messageId: string, userId: string): SegmentEvent {
  return { type: 'track', messageId, userId, event: 'Paid', timestamp: '2024-05-01T12:00:00.000Z' };
}

/** An identify of `userId` (the fake Intercom creates the user). */
export function identify(messageId: string, userId: string): SegmentEvent {
  return { type: 'identify', messageId, userId, timestamp: '2024-05-01T12:00:00.000Z' };
}

/** An accepted event of `destinationId`. */
export function incoming(event: SegmentEvent, destinationId = 'dest-1'): IncomingEvent {
  return { sourceId: 'source-1', destinationId, event, receivedAt: '2024-05-01T12:00:00.000Z' };
}

/** A promise and the function that resolves it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One test's store, clock and Intercom, and a worker over them. */
export interface WorkerFixture {
  readonly store: SqliteJobStore;
  readonly clock: ManualClock;
  readonly intercom: FakeIntercom;
  /** A worker over this fixture, with test defaults (`overrides` win). */
  worker(overrides?: Partial<DeliveryWorkerOptions>): DeliveryWorker;
  close(): Promise<void>;
}

/** A fresh store in a temporary directory, the clock at T0, an Intercom that knows nobody. */
export function openWorkerFixture(): WorkerFixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'delivery-worker-'));
  const store = openSqliteStore({ path: path.join(dir, 'delivery.sqlite') });
  const clock = createManualClock(T0);
  const intercom = new FakeIntercom();
  return {
    store,
    clock,
    intercom,
    worker(overrides = {}) {
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
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
