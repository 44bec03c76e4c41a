import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { basicAuth, eventually, validator } from './harness.js';
import { freePort, startServeProcess, type ServeProcess } from './process.js';

const WRITE_KEY = 'crash-write-key';
let sandbox: Sandbox;
let sandboxUrl: string;
let dataDir: string;

beforeAll(async () => {
  // The sandbox lives in the test process so it survives the server's deaths; a little latency keeps
  // deliveries in flight when the kill lands.
  sandbox = await createSandbox({
    validator: await validator(),
    requestLogLimit: 100_000,
    faults: { latencyMs: 5 },
  });
  sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'crash-data-'));
});

afterAll(async () => {
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function serveEnv(port: number): Record<string, string> {
  return {
    PORT: String(port),
    SEGMENT_WRITE_KEY: WRITE_KEY,
    INTERCOM_ACCESS_TOKEN: 'crash-test-token',
    INTERCOM_API_URL: sandboxUrl,
    DATA_DIR: dataDir,
  };
}

describe('crash safety (I-5, C-RACE-1)', () => {
  it('delivers every acknowledged event after SIGKILLs mid-delivery, without creating a contact twice', async () => {
    const users = 20;
    const tracksPerUser = 8;
    const port = await freePort();
    let server: ServeProcess = await startServeProcess(serveEnv(port));
    const acknowledged = new Set<string>();

    for (let u = 0; u < users; u += 1) {
      const batch: object[] = [
        {
          type: 'identify',
          messageId: `c-id-${u}`,
          userId: `crash-${u}`,
          traits: { email: `crash-${u}@example.com`, name: `User ${u}` },
        },
      ];
      for (let t = 0; t < tracksPerUser; t += 1) {
        batch.push({
          type: 'track',
          messageId: `c-tr-${u}-${t}`,
          userId: `crash-${u}`,
          event: `Crash Step ${t}`,
          timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, t)).toISOString(),
        });
      }
      const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
        body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
      });
      expect(response.status).toBe(200);
      for (let t = 0; t < tracksPerUser; t += 1) acknowledged.add(`crash-${u}/Crash Step ${t}`);
    }

    // Kill it three times while deliveries are in flight, restarting on the same DATA_DIR each time.
    for (let kill = 0; kill < 3; kill += 1) {
      const before = sandbox.state().events.length;
      await eventually(
        () => (sandbox.state().events.length > before ? true : undefined),
        30_000,
        `progress before kill ${kill + 1}`,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\nserver output:\n${server.output()}`);
      });
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      server = await startServeProcess(serveEnv(port));
    }

    await eventually(
      () => (sandbox.state().events.length >= acknowledged.size ? true : undefined),
      60_000,
      'every acknowledged event delivered',
    );
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const state = sandbox.state();
    const delivered = new Set(state.events.map((e) => `${e.user_id ?? ''}/${e.event_name}`));
    for (const key of acknowledged) expect(delivered.has(key), key).toBe(true);
    // The sandbox dedupes events like Intercom; a contact created twice would show up as two contacts.
    expect(state.contacts).toHaveLength(users);
    const externalIds = state.contacts.map((c) => c.external_id);
    expect(new Set(externalIds).size).toBe(users);
    // Per-user order survives the crashes.
    for (let u = 0; u < users; u += 1) {
      const names = state.events.filter((e) => e.user_id === `crash-${u}`).map((e) => e.event_name);
      expect(names).toEqual(Array.from({ length: tracksPerUser }, (_, t) => `Crash Step ${t}`));
    }
    expect(sandbox.violations()).toEqual([]);
  }, 180_000);
});
