import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { ClaimedJob } from '../src/delivery/job-store.js';
import type { PostgresJobStore } from '../src/delivery/postgres-store.js';
import { openPostgresStore } from '../src/delivery/postgres-store.js';
import type { SegmentEvent } from '../src/spec/event.js';
import { describeIdCacheContract } from './delivery-id-cache-contract.js';
import { describeJobStoreContract } from './delivery-store-contract.js';
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

describeJobStoreContract('PostgresJobStore', async () =>
  openPostgresStore({ connectionString: await freshDatabaseUrl() }),
);

describeIdCacheContract('PostgresJobStore', async () =>
  openPostgresStore({ connectionString: await freshDatabaseUrl() }),
);

describe('PostgresJobStore with many workers', () => {
  it('C-RACE-1 concurrent workers in separate pools never hold two jobs of one lane, and each job goes to one worker', async () => {
    const url = await freshDatabaseUrl();
    const workers: PostgresJobStore[] = await Promise.all(
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
    const run = async (store: PostgresJobStore, id: string): Promise<void> => {
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
});
