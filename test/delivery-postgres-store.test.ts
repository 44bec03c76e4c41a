import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ClaimedJob } from '../src/delivery/store/job.js';
import type { JobStore } from '../src/delivery/store/job-store.js';
import { DEFAULT_DELIVERY_POLICY } from '../src/delivery/worker/policy.js';
import type { DeliveryTarget } from '../src/delivery/worker/delivery-target.js';
import { DeliveryWorker } from '../src/delivery/worker/worker.js';
import type { ExecutionOutcome } from '../src/intercom/outcome.js';
import { DEFAULT_GROUP_COMMIT, replayGroupCommitFor } from '../src/delivery/store/group-commit.js';
import { openPostgresStore } from '../src/delivery/store/postgres/postgres-store.js';
import type { SegmentEvent } from '../src/segment/event.js';
import { describeIdCacheContract } from './delivery-id-cache-contract.js';
import { describeJobStoreContract } from './delivery-store-contract.js';
import { incoming, track } from './delivery-store-fixture.js';
import type { TestPostgres } from './delivery-postgres-server.js';
import { startTestPostgres } from './delivery-postgres-server.js';

let server: TestPostgres;
let databases = 0;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server.stop();
});

/** A fresh, empty database on the test server. */
async function freshDatabaseUrl(): Promise<string> {
  databases += 1;
  const name = `jobs_${databases}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return server.url.replace(/\/postgres$/, `/${name}`);
}

let contractUrl: string | undefined;

/** A store on one shared database, emptied first (tests in a file run one at a time). */
async function emptyStore(): Promise<JobStore> {
  contractUrl ??= await freshDatabaseUrl();
  const store = await openPostgresStore({ connectionString: contractUrl });
  const admin = new pg.Client({ connectionString: contractUrl });
  await admin.connect();
  await admin.query(
    `TRUNCATE receipts, jobs, dead_letters, destination_pauses, delivery_counts, contact_updates, erasures,
       contact_ids, company_ids, company_attachments, destination_failures RESTART IDENTITY`,
  );
  await admin.end();
  return store;
}

describeJobStoreContract('PostgresJobStore', emptyStore);

describeIdCacheContract('PostgresJobStore', emptyStore);

describe('PostgresJobStore with many workers', () => {
  it('C-RACE-1 concurrent workers in separate pools never hold two jobs of one lane, and each job goes to one worker', async () => {
    const url = await freshDatabaseUrl();
    const workers: JobStore[] = await Promise.all(
      [1, 2, 3, 4].map(() => openPostgresStore({ connectionString: url })),
    );
    const [first] = workers;
    const users = 12;
    const perUser = 10;
    const events: SegmentEvent[] = [];
    for (let i = 0; i < perUser; i += 1) {
      for (let u = 0; u < users; u += 1) {
        events.push({
          type: 'track',
          messageId: `m-${u}-${i}`,
          userId: `u${u}`,
          event: 'E',
          timestamp: '2024-05-01T12:00:00.000Z',
        });
      }
    }
    await first!.enqueue(
      events.map((event) => ({
        sourceId: 's',
        destinationId: 'd',
        event,
        receivedAt: '2024-05-01T12:00:00.000Z',
      })),
    );

    const delivered = new Map<string, string[]>();
    const inFlightLanes = new Set<string>();
    let overlaps = 0;
    const now = 1_714_564_800_000;
    const run = async (store: JobStore, id: string): Promise<void> => {
      for (let idle = 0; idle < 5;) {
        const jobs: readonly ClaimedJob[] = await store.claim({
          workerId: id,
          limit: 3,
          leaseMs: 60_000,
          now,
        });
        if (jobs.length === 0) {
          idle += 1;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        idle = 0;
        await Promise.all(
          jobs.map(async (job) => {
            if (inFlightLanes.has(job.laneKey)) overlaps += 1;
            inFlightLanes.add(job.laneKey);
            await new Promise((r) => setTimeout(r, 1));
            delivered.set(job.laneKey, [...(delivered.get(job.laneKey) ?? []), job.messageId]);
            inFlightLanes.delete(job.laneKey);
            await store.complete(job, { atMs: now, decision: 'done', counted: true, calls: 1 });
          }),
        );
      }
    };
    await Promise.all(workers.map((store, i) => run(store, `w${i}`)));
    await Promise.all(workers.map((store) => store.close()));

    expect(overlaps).toBe(0);
    for (let u = 0; u < users; u += 1) {
      expect(delivered.get(`u:u${u}`)).toEqual(Array.from({ length: perUser }, (_, i) => `m-${u}-${i}`));
    }
  });

  it('I-5 concurrent enqueues of the same batch store each event once', async () => {
    const url = await freshDatabaseUrl();
    const a = await openPostgresStore({ connectionString: url });
    const b = await openPostgresStore({ connectionString: url });
    const batch = Array.from({ length: 20 }, (_, i) => ({
      sourceId: 's',
      destinationId: 'd',
      event: {
        type: 'track',
        messageId: `m${i}`,
        userId: `u${i % 3}`,
        event: 'E',
        timestamp: '2024-05-01T12:00:00.000Z',
      } as const,
      receivedAt: '2024-05-01T12:00:00.000Z',
    }));
    const [ra, rb] = await Promise.all([a.enqueue(batch), b.enqueue(batch)]);
    expect(ra.stored + rb.stored).toBe(20);
    expect(ra.duplicates + rb.duplicates).toBe(20);
    expect(await a.queueDepth(0)).toMatchObject([{ destinationId: 'd', pending: 20 }]);
    await a.close();
    await b.close();
  });

  it('L-5 the largest group the store is given (live or replayed) commits its lane locks on a server with default lock settings', async () => {
    // Each lane written holds an advisory lock until commit, in a lock table of bounded size; a group
    // over as many users as it has events is the worst case.
    const largest = Math.max(
      DEFAULT_GROUP_COMMIT.maxGroupEvents,
      replayGroupCommitFor('postgres').maxGroupEvents ?? Infinity,
    );
    expect(largest).toBe(5_000);
    const store = await openPostgresStore({ connectionString: await freshDatabaseUrl() });
    const group = Array.from({ length: largest }, (_, i) => incoming(track(`m${i}`, `u${i}`), 'd', 's'));
    expect(await store.enqueue(group)).toMatchObject({ stored: largest, duplicates: 0 });
    expect(await store.queueDepth(0)).toMatchObject([{ destinationId: 'd', pending: largest }]);
    await store.close();
  });

  it('C-RACE-1 / C-RACE-2 three worker processes deliver every user in order through 503s and a late identify', async () => {
    const url = await freshDatabaseUrl();
    const stores = await Promise.all(
      [1, 2, 3].map(() => openPostgresStore({ connectionString: url, maxConnections: 3 })),
    );
    const users = 6;
    const events: SegmentEvent[] = [];
    for (let u = 0; u < users; u += 1) {
      // User 0's first track arrives before the identify that creates it (C-RACE-2).
      if (u === 0)
        events.push({
          type: 'track',
          messageId: 'early',
          userId: 'u0',
          event: 'E',
          timestamp: '2024-05-01T12:00:00.000Z',
        });
      events.push({
        type: 'identify',
        messageId: `i-${u}`,
        userId: `u${u}`,
        timestamp: '2024-05-01T12:00:00.000Z',
      });
      for (let i = 0; i < 4; i += 1) {
        events.push({
          type: 'track',
          messageId: `t-${u}-${i}`,
          userId: `u${u}`,
          event: 'E',
          timestamp: '2024-05-01T12:00:00.000Z',
        });
      }
    }
    await stores[0]!.enqueue(
      events.map((event) => ({
        sourceId: 's',
        destinationId: 'd',
        event,
        receivedAt: '2024-05-01T12:00:00.000Z',
      })),
    );

    const known = new Set<string>();
    const seen = new Map<string, string[]>();
    let calls = 0;
    const target: DeliveryTarget = {
      map: (event) => ({
        kind: 'deliver',
        operations: [
          event.type === 'identify'
            ? {
                kind: 'upsert_contact',
                identity: { externalId: event.userId ?? '' },
                fields: {},
                attributeTypes: {},
              }
            : {
                kind: 'submit_event',
                identity: { externalId: event.userId ?? '' },
                event: { event_name: event.messageId, created_at: 1 },
              },
        ],
        warnings: [],
      }),
      execute: (plan) => {
        calls += 1;
        const op = plan.operations[0]!;
        const user =
          op.kind === 'upsert_contact' || op.kind === 'submit_event' ? (op.identity.externalId ?? '') : '';
        const fail = (status: number): ExecutionOutcome => ({
          kind: 'failed',
          calls: 1,
          operation: op.kind,
          failure: { kind: 'http', status },
          notes: [],
        });
        if (calls % 4 === 0) return Promise.resolve(fail(503));
        if (op.kind === 'submit_event' && !known.has(user)) return Promise.resolve(fail(404));
        if (op.kind === 'upsert_contact') known.add(user);
        const id = op.kind === 'submit_event' ? op.event.event_name : `i-${user.slice(1)}`;
        seen.set(user, [...(seen.get(user) ?? []), id]);
        return Promise.resolve({ kind: 'delivered', calls: 1, notes: [] });
      },
    };
    const policy = {
      ...DEFAULT_DELIVERY_POLICY,
      backoff: { baseMs: 20, capMs: 40 },
      userNotFoundBackoff: { baseMs: 20, capMs: 40 },
    };
    const workers = stores.map(
      (store, i) =>
        new DeliveryWorker({
          store,
          destinations: () => target,
          clock: { now: () => Date.now() },
          random: Math.random,
          workerId: `w${i}`,
          concurrency: 4,
          leaseMs: 5_000,
          pollMs: 5,
          policy,
        }),
    );
    workers.forEach((w) => w.start());
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && [...seen.values()].flat().length < events.length)
      await new Promise((r) => setTimeout(r, 20));
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(stores.map((store) => store.close()));

    expect(seen.get('u0')).toEqual(['i-0', 'early', 't-0-0', 't-0-1', 't-0-2', 't-0-3']);
    for (let u = 1; u < users; u += 1) {
      expect(seen.get(`u${u}`)).toEqual([`i-${u}`, `t-${u}-0`, `t-${u}-1`, `t-${u}-2`, `t-${u}-3`]);
    }
  });
});
