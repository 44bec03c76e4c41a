import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, sqliteStorePath } from '../delivery/store/sqlite/sqlite-store.js';
import { createSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { freePort } from '../../test/e2e/process.js';
import { createDoctorCommand } from './doctor-command.js';

const TOKEN = 'doctor-test-token';
const NOW = 1_714_564_800_000;
let sandbox: Sandbox;
let sandboxUrl: string;
let dataDir: string;

beforeAll(async () => {
  sandbox = await createSandbox({ token: TOKEN, appId: 'abc123' });
  sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'doctor-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function doctor(env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString();
      callback();
    },
  });
  const command = createDoctorCommand({ fetch: (url, init) => fetch(url, init), clock: { now: () => NOW } });
  const code = await command(
    [],
    {
      INTERCOM_ACCESS_TOKEN: TOKEN,
      INTERCOM_API_URL: sandboxUrl,
      SEGMENT_WRITE_KEY: 'wk',
      DATA_DIR: dataDir,
      ...env,
    },
    { stdin: new PassThrough(), stdout, stderr: new PassThrough() },
    new AbortController().signal,
  );
  return { code, out };
}

describe('doctor (issue #5)', () => {
  it('reports a working token, a matching app id and an empty store as healthy', async () => {
    const { code, out } = await doctor({ INTERCOM_APP_ID: 'abc123' });
    expect(out).toContain('token accepted');
    expect(out).toContain('app id abc123 matches');
    expect(out).toContain('healthy (0 warnings)');
    expect(code).toBe(0);
  });

  it('a rejected token is a problem, and the token never appears in the report', async () => {
    const { code, out } = await doctor({ INTERCOM_ACCESS_TOKEN: 'wrong-secret-token' });
    expect(out).toMatch(/PROBLEM destination default: GET http:\/\/127\.0\.0\.1:\d+\/me failed: HTTP 401/);
    expect(out).not.toContain('wrong-secret-token');
    expect(code).toBe(1);
  });

  it('INTERCOM_APP_ID of another workspace is a problem', async () => {
    const { code, out } = await doctor({ INTERCOM_APP_ID: 'zzz999' });
    expect(out).toContain('the app id setting is zzz999 but the token belongs to workspace abc123');
    expect(code).toBe(1);
  });

  it('C-TR-6 reports the store: queue, dead letters, a token pause and event names past 120', async () => {
    const store = openSqliteStore({ path: sqliteStorePath(dataDir) });
    await store.enqueue([
      {
        sourceId: 's',
        destinationId: 'default',
        receivedAt: '2024-05-01T11:00:00.000Z',
        event: {
          type: 'track',
          messageId: 'm1',
          userId: 'u',
          event: 'Paid',
          timestamp: '2024-05-01T11:00:00.000Z',
        },
      },
    ]);
    await store.pauseDestination('default', undefined, 'unauthorized', NOW - 60_000);
    await store.noteEventNames(
      'default',
      Array.from({ length: 120 }, (_, i) => `name ${i}`),
      NOW,
    );
    await store.close();

    const { code, out } = await doctor({});
    expect(out).toContain(
      'queue: 1 pending, 0 waiting for their user, 0 in flight, oldest received 2024-05-01T11:00:00.000Z',
    );
    expect(out).toContain(
      'PROBLEM destination default: paused (unauthorized) since 2024-05-01T11:59:00.000Z, until a probe succeeds',
    );
    expect(out).toContain(
      "PROBLEM destination default: 120 of Intercom's 120 active event names used (C-TR-6)",
    );
    expect(out).toContain('2 problems');
    expect(code).toBe(1);
  });

  it('warns of queued jobs of a destination this configuration does not deliver (serve leaves them)', async () => {
    const store = openSqliteStore({ path: sqliteStorePath(dataDir) });
    const at = '2024-05-01T11:00:00.000Z';
    await store.enqueue([
      {
        sourceId: 's',
        destinationId: 'removed',
        receivedAt: at,
        event: { type: 'track', messageId: 'm1', userId: 'u', event: 'Paid', timestamp: at },
      },
    ]);
    await store.close();
    const { code, out } = await doctor({});
    expect(out).toContain('destination removed: has queued jobs but is not configured any more');
    expect(out).toContain('healthy (1 warning)');
    expect(code).toBe(0);
  });

  it('a PostgreSQL queue that cannot be reached is a problem, named without the URL’s password', async () => {
    const port = await freePort(); // nothing listens there once it is found
    const { code, out } = await doctor({
      DATABASE_URL: `postgres://app:doctor-db-secret@127.0.0.1:${port}/queue`,
    });
    expect(out).toContain(`PROBLEM queue: PostgreSQL 127.0.0.1:${port}/queue cannot be opened: `);
    expect(out).toContain('ECONNREFUSED');
    expect(out).not.toContain('doctor-db-secret');
    expect(code).toBe(1);
  });

  it('an invalid configuration is a problem with its reasons', async () => {
    const { code, out } = await doctor({ INTERCOM_REGION: 'mars' });
    expect(out).toMatch(/PROBLEM config: invalid configuration:\n\s+- INTERCOM_REGION/);
    expect(code).toBe(1);
  });
});
