import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { basicAuth, eventually, validator } from './harness.js';
import { freePort, startServeProcess, type ServeProcess } from './process.js';

// L-2 end to end: the compiled product logs every failed attempt with its class and decision, and
// its whole log (at debug level) never holds a trait value, an email, the token or the write key.

const WRITE_KEY = 'wk-logscan-7c1f';
const TOKEN = 'tok-logscan-93ab';
const USERS = 6;
let sandbox: Sandbox;
let dataDir: string;
let server: ServeProcess | undefined;

beforeAll(async () => {
  sandbox = await createSandbox({
    validator: await validator(),
    token: TOKEN,
    // Every call fails until the log shows a transient retry; then none do (the test below), so the
    // backoff stays at a few seconds and delivery does not depend on chance.
    faults: { errorRate: 1, errorStatus: 503 },
  });
  dataDir = mkdtempSync(path.join(tmpdir(), 'failure-logs-'));
});

afterAll(async () => {
  if (server !== undefined && server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const email = (u: number): string => `person-${u}@private.example`;

function personalBatch(): object[] {
  const batch: object[] = [];
  for (let u = 0; u < USERS; u += 1) {
    batch.push({
      type: 'identify',
      messageId: `pl-i-${u}`,
      userId: `log-user-${u}`,
      traits: { email: email(u), name: `Secret Name ${u}`, plan: `trait-value-${u}-secret` },
    });
    batch.push({
      type: 'track',
      messageId: `pl-t-${u}`,
      userId: `log-user-${u}`,
      event: 'Checked Out',
      properties: { note: `property-value-${u}-secret`, email: email(u) },
    });
  }
  // Two users with one email (C-IDN-2) and an email-only identify.
  batch.push({ type: 'identify', messageId: 'pl-s', userId: 'log-user-shared', traits: { email: email(0) } });
  batch.push({
    type: 'identify',
    messageId: 'pl-e',
    anonymousId: 'anon',
    traits: { email: 'only-email@private.example' },
  });
  return batch;
}

async function post(port: number, batch: object[]): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

describe('the log of a run with failures (L-2)', () => {
  it('L-2 shows each failed attempt with its class and decision, and no personal data, token or write key', async () => {
    const port = await freePort();
    const sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
    server = await startServeProcess({
      PORT: String(port),
      SEGMENT_WRITE_KEY: WRITE_KEY,
      INTERCOM_ACCESS_TOKEN: TOKEN,
      INTERCOM_API_URL: sandboxUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'debug',
    });
    await post(port, personalBatch());
    await eventually(
      () => (server?.output().includes('"decision":"retry"') === true ? true : undefined),
      30_000,
      'a transient failure logged',
    );
    sandbox.setFaults({ errorRate: 0, errorStatus: 503 });
    await eventually(
      () =>
        sandbox.state().events.length >= USERS && sandbox.state().contacts.length >= USERS + 2
          ? true
          : undefined,
      60_000,
      'every event delivered through the 503s',
    );
    // A refusal retrying cannot fix: dead at once.
    sandbox.setFaults({ errorRate: 1, errorStatus: 400 });
    await post(port, [
      { type: 'identify', messageId: 'pl-bad', userId: 'log-user-bad', traits: { email: email(99) } },
    ]);
    const health = await eventually(async () => {
      const body = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
        destinations: { deadLetters: number; lastError?: { class: string } }[];
      };
      return body.destinations[0]?.deadLetters === 1 ? body : undefined;
    }, 30_000);
    expect(health.destinations[0]?.lastError?.class).toBe('permanent');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const log = server.output();
    const failures = log
      .split('\n')
      .filter((line) => line.includes('"delivery attempt failed"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failures.some((f) => f['failureClass'] === 'transient' && f['decision'] === 'retry')).toBe(true);
    expect(failures).toContainEqual(
      expect.objectContaining({
        failureClass: 'permanent',
        decision: 'dead',
        reason: 'rejected',
        status: 400,
        level: 40,
      }),
    );
    for (const secret of [TOKEN, WRITE_KEY, 'private.example', 'Secret Name', '-secret', 'log-user-']) {
      expect(log, `the log holds ${secret}`).not.toContain(secret);
    }
  }, 120_000);
});
