import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, eventually } from './harness.js';
import { freePort, startServeProcess, type ServeProcess } from './process.js';

// `npm start` runs the compiled modules of dist/node/ with no Intercom token: the embedded sandbox
// (which reads its OpenAPI description beside the compiled modules) and the SQLite queue, whose
// threads start from compiled files. One event through all of it shows the build carries what they need.
const WRITE_KEY = 'local-write-key';
let dataDir: string;
let server: ServeProcess | undefined;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'compiled-defaults-'));
});

afterAll(async () => {
  if (server !== undefined && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the compiled product on its embedded defaults', () => {
  it('delivers an identify and a track (C-TR-1) into the embedded sandbox, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const sandboxPort = await freePort();
    server = await startServeProcess({
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      DATA_DIR: dataDir,
    });
    expect(server.output()).toContain(`local sandbox at http://127.0.0.1:${sandboxPort}`);

    const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
      body: JSON.stringify({
        batch: [
          { type: 'identify', messageId: 'cd-1', userId: 'compiled-1', traits: { email: 'c1@example.com' } },
          { type: 'track', messageId: 'cd-2', userId: 'compiled-1', event: 'Built And Ran' },
        ],
      }),
    });
    expect(response.status).toBe(200);

    const state = await eventually(async () => {
      const answer = await fetch(`http://127.0.0.1:${sandboxPort}/sandbox/state`);
      const body = (await answer.json()) as {
        contacts: { id: string; external_id: string | null; email: string | null }[];
        events: { event_name: string; contact_id: string }[];
      };
      return body.events.length > 0 ? body : undefined;
    });
    expect(state.contacts).toEqual([
      expect.objectContaining({ external_id: 'compiled-1', email: 'c1@example.com' }),
    ]);
    expect(state.events).toEqual([
      expect.objectContaining({ event_name: 'Built And Ran', contact_id: state.contacts[0]?.id }),
    ]);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
