import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliverPlan, Plan } from '../src/intercom/operations.js';
import type { ExecutionOutcome } from '../src/intercom/outcome.js';
import type { DeliveryTarget } from '../src/delivery/worker/delivery-target.js';
import { LEAD_LANE_FIRST_WAIT_MS } from '../src/delivery/worker/lead-lanes.js';
import type { SegmentEvent } from '../src/segment/event.js';
import { incoming, openWorkerFixture, type WorkerFixture } from './delivery-worker-fixture.js';

// C-IDN-5 in the worker: a job that merges a lead waits for the lead's earlier email-only jobs,
// which travel in another lane (C-RACE-1), against a real SQLite store and a manual clock.

const EMAIL = 'grace@example.com';
let fixture: WorkerFixture;
/** The messageIds Intercom received, in order. */
let delivered: string[];
/** messageIds whose first attempt fails with a 503. */
let failOnce: Set<string>;

beforeEach(() => {
  fixture = openWorkerFixture();
  delivered = [];
  failOnce = new Set();
});
afterEach(() => fixture.close());

function identify(messageId: string, userId?: string): SegmentEvent {
  return {
    type: 'identify',
    messageId,
    ...(userId === undefined ? { anonymousId: 'anon' } : { userId }),
    traits: { email: EMAIL },
    timestamp: '2024-05-01T12:00:00.000Z',
  };
}

/** Lead plans: an email-only identify writes the lead; one with a userId writes the user and merges. */
function planFor(event: SegmentEvent): Plan {
  const tag = { code: 'invalid_date', field: 'messageId', detail: event.messageId } as const;
  const userId = event.userId;
  const upsert = {
    kind: 'upsert_contact',
    identity:
      userId === undefined ? { email: EMAIL, lead: true as const } : { externalId: userId, email: EMAIL },
    fields: {},
    attributeTypes: {},
  } as const;
  const merge =
    userId === undefined
      ? []
      : [{ kind: 'merge_lead', identity: { externalId: userId, email: EMAIL } } as const];
  return { kind: 'deliver', operations: [upsert, ...merge], warnings: [tag] };
}

function execute(plan: DeliverPlan): ExecutionOutcome {
  const messageId = plan.warnings[0]?.detail ?? '';
  if (failOnce.delete(messageId)) {
    const failure = { kind: 'http', status: 503, code: 'service_unavailable' } as const;
    return { kind: 'failed', calls: 1, operation: 'upsert_contact', failure, notes: [] };
  }
  delivered.push(messageId);
  return { kind: 'delivered', calls: 1, notes: [] };
}

const target: DeliveryTarget = { map: planFor, execute: (plan) => Promise.resolve(execute(plan)) };

describe('C-IDN-5 order across a lead merge', () => {
  it("C-IDN-5 a merging identify waits for the lead's earlier email-only events, without counting an attempt", async () => {
    const { store, clock } = fixture;
    await store.enqueue([incoming(identify('lead-1')), incoming(identify('user-1', 'u1'))]);
    failOnce.add('lead-1');
    const seen: string[] = [];
    const worker = fixture.worker({
      destinations: () => target,
      onSettled: ({ job, record }) => seen.push(`${job.messageId}:${record.decision}`),
    });
    await worker.runOnce();
    // Both lanes were claimed together: the lead's job failed, the merge waited for it.
    expect(seen.sort()).toEqual(['lead-1:retry', 'user-1:waiting']);
    expect(delivered).toEqual([]);
    clock.advance(LEAD_LANE_FIRST_WAIT_MS);
    await worker.runOnce();
    expect(seen.at(-1)).toBe('user-1:waiting');
    expect(delivered).toEqual([]);
    // Past the lead job's backoff: both may be due in the same round, and the merge may then look once
    // more while the lead's job is in flight; either way it goes after it.
    clock.advance(60_000);
    await worker.runOnce();
    expect(delivered[0]).toBe('lead-1');
    clock.advance(60_000);
    await worker.runOnce();
    expect(delivered).toEqual(['lead-1', 'user-1']);
    expect(await store.queueDepth(clock.now())).toEqual([]);
  });

  it('C-IDN-5 email-only events received after the merging identify do not hold it up', async () => {
    const { store } = fixture;
    await store.enqueue([incoming(identify('user-1', 'u1')), incoming(identify('lead-2'))]);
    const worker = fixture.worker({ destinations: () => target });
    await worker.runOnce();
    expect(delivered.sort()).toEqual(['lead-2', 'user-1']);
  });

  it('C-IDN-5 a merge waiting for a lane that does not move never counts an attempt, so it never dies of it', async () => {
    const { store, clock } = fixture;
    await store.enqueue([incoming(identify('lead-1')), incoming(identify('user-1', 'u1'))]);
    // The lead's job keeps failing: its lane does not move.
    const stuck: DeliveryTarget = {
      map: planFor,
      execute: (plan) =>
        Promise.resolve(
          plan.operations.length === 1
            ? {
                kind: 'failed',
                calls: 1,
                operation: 'upsert_contact',
                failure: { kind: 'http', status: 503 },
                notes: [],
              }
            : execute(plan),
        ),
    };
    const records: { decision: string; counted: boolean }[] = [];
    const worker = fixture.worker({
      destinations: () => stuck,
      onSettled: ({ job, record }) => {
        if (job.messageId === 'user-1') records.push({ decision: record.decision, counted: record.counted });
      },
    });
    for (let i = 0; i < 6; i += 1) {
      await worker.runOnce();
      clock.advance(40_000);
    }
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records.every((r) => r.decision === 'waiting' && !r.counted)).toBe(true);
    expect((await store.queueDepth(clock.now()))[0]).toMatchObject({ pending: 2, deadLetters: 0 });
    expect(delivered).toEqual([]);
  });
});
