import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/delivery/store/postgres/postgres-store.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startTestPostgres, type TestPostgres } from '../delivery-postgres-server.js';
import { basicAuth, eventually, validator } from './harness.js';
import { freePort, startServeProcess, type ServeProcess } from './process.js';

// Scale-out as an operator runs it: two `serve` processes (two machines, in production) with the
// same DATABASE_URL share one PostgreSQL queue, each ingesting and delivering. The URL carries a
// password (the test server trusts loopback, so it is not checked), which must appear nowhere. dlq and
// doctor on a PostgreSQL queue are postgres-dlq.e2e.test.ts.
const WRITE_KEY = 'scale-write-key';
const PASSWORD = 'scale-out-db-password';
const USERS = 8;
const STEPS = 5;

let postgres: TestPostgres;
let databaseUrl: string;
let sandbox: Sandbox;
let sandboxUrl: string;
const dataDirs: string[] = [];
const servers: ServeProcess[] = [];
const ports: number[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  databaseUrl = postgres.url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
  sandbox = await createSandbox({ validator: await validator(), requestLogLimit: 10_000 });
  sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  for (let i = 0; i < 2; i += 1) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'scale-out-'));
    const port = await freePort();
    dataDirs.push(dataDir);
    ports.push(port);
    servers.push(
      await startServeProcess({
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        // The second process with a small pool: its 8 worker lanes, group commits and health share 3.
        ...(i === 1 ? { DATABASE_POOL_SIZE: '3' } : {}),
        SEGMENT_WRITE_KEY: WRITE_KEY,
        INTERCOM_ACCESS_TOKEN: 'scale-out-token',
        INTERCOM_API_URL: sandboxUrl,
        LOG_LEVEL: 'info',
      }),
    );
  }
}, 90_000);

afterAll(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  await sandbox.close();
  await postgres.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

async function post(port: number, batch: object[]): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch }),
  });
  return response.status;
}

function steps(user: number): object[] {
  return Array.from({ length: STEPS }, (_, step) => ({
    type: 'track',
    messageId: `scale-${user}-${step}`,
    userId: `scale-user-${user}`,
    event: `Scale Step ${step}`,
  }));
}

async function counter(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('scale-out: serve processes sharing one PostgreSQL queue (DATABASE_URL)', () => {
  it('C-RACE-1 delivers every event once and each user in order when a user’s requests alternate between two processes', async () => {
    const [a, b] = ports as [number, number];
    // Each user's identify goes to one process, then its tracks alternate between both, one request
    // after the other; the users run side by side.
    await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        const identify = {
          type: 'identify',
          messageId: `scale-id-${user}`,
          userId: `scale-user-${user}`,
          traits: { email: `scale-${user}@example.com` },
        };
        expect(await post(user % 2 === 0 ? a : b, [identify])).toBe(200);
        for (const [step, track] of steps(user).entries()) {
          expect(await post(step % 2 === 0 ? a : b, [track])).toBe(200);
        }
      }),
    );

    const events = await eventually(
      () => {
        const delivered = sandbox.state().events;
        return delivered.length >= USERS * STEPS ? delivered : undefined;
      },
      30_000,
      'every track delivered',
    );
    expect(events).toHaveLength(USERS * STEPS);
    const contacts = sandbox.state().contacts;
    expect(contacts).toHaveLength(USERS);
    for (let user = 0; user < USERS; user += 1) {
      const contact = contacts.find((c) => c.external_id === `scale-user-${user}`);
      expect(contact?.email).toBe(`scale-${user}@example.com`);
      const names = events.filter((e) => e.contact_id === contact?.id).map((e) => e.event_name);
      expect(names).toEqual(Array.from({ length: STEPS }, (_, step) => `Scale Step ${step}`));
    }
    // Neither process made a SQLite queue of its own.
    for (const dir of dataDirs) expect(existsSync(path.join(dir, 'delivery.sqlite'))).toBe(false);
  });

  it('I-5 stores a batch retried through the other process once: the receipts are shared', async () => {
    const [a, b] = ports as [number, number];
    const batch = [
      { type: 'track', messageId: 'scale-retry-1', userId: 'scale-user-0', event: 'Scale Retried' },
    ];
    const before = sandbox.state().events.length;
    expect(await post(a, batch)).toBe(200);
    const duplicatesBefore = await counter(b, 'ingest_events_deduplicated_total');
    expect(await post(b, batch)).toBe(200);
    expect(await counter(b, 'ingest_events_deduplicated_total')).toBe(duplicatesBefore + 1);
    await eventually(() => (sandbox.state().events.length > before ? true : undefined));
    // Give a wrongly stored copy time to be delivered too, then check there is one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sandbox.state().events.filter((e) => e.event_name === 'Scale Retried')).toHaveLength(1);
  });

  it('leaves the jobs of a destination neither process is configured for to a process that is, without pausing it', async () => {
    const store = await openPostgresStore({ connectionString: databaseUrl });
    try {
      const at = new Date().toISOString();
      await store.enqueue([
        {
          sourceId: 'elsewhere-source',
          destinationId: 'elsewhere',
          receivedAt: at,
          event: {
            type: 'track',
            messageId: 'elsewhere-1',
            userId: 'u-else',
            event: 'Else',
            timestamp: at,
            receivedAt: at,
          },
        },
      ]);
      // Both workers poll every 100 ms; a second is ten chances to take the job.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const now = Date.now();
      expect(await store.pausedDestinations(now)).toEqual([]);
      const depth = await store.queueDepth(now);
      expect(depth.find((d) => d.destinationId === 'elsewhere')).toMatchObject({ pending: 1, inFlight: 0 });
      // A process configured for it (here: this test) claims it.
      const [job] = await store.claim({
        workerId: 'elsewhere-worker',
        limit: 10,
        leaseMs: 60_000,
        now,
        destinationIds: ['elsewhere'],
      });
      expect(job?.messageId).toBe('elsewhere-1');
      if (job !== undefined)
        await store.complete(job, { atMs: now, decision: 'done', counted: true, calls: 1 });
    } finally {
      await store.close();
    }
  });

  it('I-5 answers 503 while PostgreSQL is down, without exiting, and stores again once it is back', async () => {
    const [a] = ports as [number, number];
    // Distinct names: Intercom (and the sandbox) keep one event per name, user and second.
    const track = (id: string): object[] => [
      { type: 'track', messageId: id, userId: 'scale-user-1', event: `Scale ${id}` },
    ];
    expect(await post(a, track('scale-outage-before'))).toBe(200);
    await postgres.halt();
    try {
      // Never a 200 for an event that was not committed: the client keeps it and retries.
      expect(await post(a, track('scale-outage-during'))).toBe(503);
    } finally {
      await postgres.restart();
    }
    // The pool reconnects by itself; the process is still the same one.
    const status = await eventually(
      async () => ((await post(a, track('scale-outage-during'))) === 200 ? 200 : undefined),
      20_000,
      'a 200 after the restart',
    );
    expect(status).toBe(200);
    for (const server of servers) expect(server.child.exitCode).toBeNull();
    const delivered = await eventually(
      () => {
        const names = sandbox
          .state()
          .events.map((e) => e.event_name)
          .filter((name) => name.startsWith('Scale scale-outage-'));
        return names.length >= 2 ? names : undefined;
      },
      30_000,
      'both outage tracks delivered',
    );
    expect(delivered).toEqual(['Scale scale-outage-before', 'Scale scale-outage-during']);
  });

  it('names the queue without its credentials and never prints the password; both stop cleanly', async () => {
    const where = `PostgreSQL ${new URL(databaseUrl).host}/postgres`;
    for (const server of servers) {
      expect(server.output()).toContain(`Queue              ${where}`);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.output()).not.toContain(PASSWORD);
    }
  });
});
