import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { basicAuth, eventually, validator } from './harness.js';
import { freePort } from './process.js';
import { spawnServeGroup, untilServing, type ServeGroup } from './process-group.js';

// A supervisor kills the whole process group of `npm start` with SIGKILL and starts it again at
// once, twenty times: every restart starts (the data directory's lock died with its holder), and
// every event acknowledged before a kill is delivered in the end.

const KILLS = 20;
const WRITE_KEY = 'restart-write-key';
let sandbox: Sandbox;
let sandboxUrl: string;
let dataDir: string;
let group: ServeGroup | undefined;

beforeAll(async () => {
  // The sandbox lives in the test process, so what was delivered survives the kills.
  sandbox = await createSandbox({ validator: await validator(), requestLogLimit: 100_000 });
  sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'restart-loop-'));
});

afterAll(async () => {
  await group?.killGroup();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('restarts after SIGKILL of the process group', () => {
  it(`starts again every time, ${KILLS} kills in a row, and delivers what was acknowledged`, async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      SEGMENT_WRITE_KEY: WRITE_KEY,
      INTERCOM_ACCESS_TOKEN: 'restart-token',
      INTERCOM_API_URL: sandboxUrl,
      DATA_DIR: dataDir,
    };
    for (let round = 0; round <= KILLS; round += 1) {
      group = spawnServeGroup(env);
      await untilServing(group);
      const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
        body: JSON.stringify({
          batch: [
            {
              type: 'identify',
              messageId: `r-i-${round}`,
              userId: `restart-${round}`,
              traits: { name: 'R' },
            },
            { type: 'track', messageId: `r-t-${round}`, userId: `restart-${round}`, event: 'Restarted' },
          ],
        }),
      });
      expect(response.status).toBe(200);
      if (round === KILLS) break;
      // The supervisor's kill, at once, whatever the process is doing; the next start follows at once.
      await group.killGroup();
    }
    await eventually(
      () => (sandbox.state().events.length >= KILLS + 1 ? true : undefined),
      60_000,
      'every acknowledged track delivered',
    );
    const delivered = new Set(sandbox.state().events.map((e) => e.user_id));
    for (let round = 0; round <= KILLS; round += 1) expect(delivered.has(`restart-${round}`)).toBe(true);
    expect(new Set(sandbox.state().contacts.map((c) => c.external_id)).size).toBe(
      sandbox.state().contacts.length,
    );
  }, 300_000);
});
