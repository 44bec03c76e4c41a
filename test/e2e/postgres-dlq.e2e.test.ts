/**
 * The dlq and doctor commands on a PostgreSQL queue (DATABASE_URL): a dead letter is listed and purged,
 * and doctor checks the queue and names it without the password the URL carries.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/delivery/store/postgres/postgres-store.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { startTestPostgres, type TestPostgres } from '../delivery-postgres-server.js';
import { validator } from './harness.js';

const run = promisify(execFile);
const WRITE_KEY = 'scale-write-key';
const PASSWORD = 'scale-out-db-password';

let postgres: TestPostgres;
let databaseUrl: string;
let sandbox: Sandbox;
let sandboxUrl: string;
const dataDirs: string[] = [];

beforeAll(async () => {
  postgres = await startTestPostgres();
  databaseUrl = postgres.url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);
  sandbox = await createSandbox({ validator: await validator() });
  sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  dataDirs.push(mkdtempSync(path.join(tmpdir(), 'postgres-dlq-')));
}, 90_000);

afterAll(async () => {
  await sandbox.close();
  await postgres.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('dlq and doctor on a PostgreSQL queue (DATABASE_URL)', () => {
  it('dlq lists and purges the dead letters of the PostgreSQL queue, and doctor checks it', async () => {
    // A database of its own (dlq_only): the commands below must find the queue the URL names.
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE dlq_only');
    await admin.end();
    const dlqUrl = Object.assign(new URL(databaseUrl), { pathname: '/dlq_only' }).toString();
    const store = await openPostgresStore({ connectionString: dlqUrl });
    try {
      await store.enqueue([
        {
          sourceId: 'default',
          destinationId: 'dlq-only',
          receivedAt: new Date().toISOString(),
          event: {
            type: 'track',
            messageId: 'scale-dead-1',
            userId: 'scale-dead-user',
            event: 'Scale Dead',
            timestamp: new Date().toISOString(),
            receivedAt: new Date().toISOString(),
          },
        },
      ]);
      const now = Date.now();
      const [job] = await store.claim({ workerId: 'dlq-test', limit: 100, leaseMs: 60_000, now });
      expect(job?.kind === 'event' ? job.event.messageId : undefined).toBe('scale-dead-1');
      if (job === undefined) return;
      const killed = await store.kill(
        job,
        { reason: 'rejected', status: 400, code: 'parameter_invalid', message: 'test' },
        { atMs: now, decision: 'dead', counted: true, calls: 1 },
        now,
      );
      expect(killed).toBe(true);
    } finally {
      await store.close();
    }
    const env = { PATH: process.env['PATH'] ?? '', DATABASE_URL: dlqUrl, DATA_DIR: dataDirs[0] ?? '' };
    const listed = await run(process.execPath, ['dist/node/cli/main.js', 'dlq', 'list', '--json'], { env });
    const letters = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { messageId: string; destinationId: string });
    expect(letters).toEqual([
      expect.objectContaining({ messageId: 'scale-dead-1', destinationId: 'dlq-only' }),
    ]);
    const purged = await run(process.execPath, ['dist/node/cli/main.js', 'dlq', 'purge', '--all'], { env });
    expect(purged.stdout).toBe('purged 1 dead letter\n');
    const doctor = await run(process.execPath, ['dist/node/cli/main.js', 'doctor'], {
      env: {
        ...env,
        SEGMENT_WRITE_KEY: WRITE_KEY,
        INTERCOM_ACCESS_TOKEN: 'scale-out-token',
        INTERCOM_API_URL: sandboxUrl,
      },
    });
    expect(doctor.stdout).toContain(`queue PostgreSQL ${new URL(dlqUrl).host}/dlq_only`);
    expect(doctor.stdout).toContain('healthy');
    expect(doctor.stdout).not.toContain(PASSWORD);
  });
});
