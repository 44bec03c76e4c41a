import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { signWebhookBody } from '../../src/server/webhook-signature.js';
import { eventually, validator } from '../e2e/harness.js';
import { startServeProcess, type ServeProcess } from '../e2e/process.js';
import { basic } from '../hostile/ingest-fixture.js';

// Distinctive values, so a leak anywhere (even inside a longer string) is found.
const WRITE_KEY = 'wk_SECRET_w7Qx9Lm2';
const OTHER_KEY = 'wk_SECRET_other_K3v8';
const TOKEN = 'tok_SECRET_Zr41pX0aQ';
const OTHER_TOKEN = 'tok_SECRET_second_Yb52';
const WEBHOOK_SECRET = 'whsec_SECRET_Hk83nQp1Ld';
/** Every form a secret could leak in: raw, Basic-encoded, and as the bearer header. */
const SECRETS = [WRITE_KEY, OTHER_KEY, TOKEN, OTHER_TOKEN, WEBHOOK_SECRET].flatMap((s) => [
  s,
  Buffer.from(`${s}:`).toString('base64'),
  Buffer.from(s).toString('base64'),
]);

let sandbox: Sandbox;
let rejecting: Sandbox;
let serve: ServeProcess;
let dir: string;
let ingestUrl: string;
/** Every answer body and header the run produced. */
const answers: string[] = [];

async function send(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(`${ingestUrl}${url}`, init);
  const text = await response.text();
  answers.push(text, JSON.stringify([...response.headers.entries()]));
  return new Response(text, { status: response.status });
}

beforeAll(async () => {
  sandbox = await createSandbox({ validator: await validator(), token: TOKEN, appId: 'leaks' });
  // A second workspace whose token Intercom rejects: the destination is paused and logged.
  rejecting = await createSandbox({ validator: await validator(), token: 'not-the-configured-one' });
  const sandboxUrl = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  const rejectingUrl = await rejecting.listen({ port: 0, host: '127.0.0.1' });
  dir = mkdtempSync(path.join(tmpdir(), 'secrets-'));
  writeFileSync(
    path.join(dir, 'destinations.json'),
    JSON.stringify({
      destinations: [
        {
          id: 'main',
          accessToken: TOKEN,
          apiBaseUrl: sandboxUrl,
          sources: [
            { id: 'web', writeKey: WRITE_KEY },
            { id: 'segment', webhookSecret: WEBHOOK_SECRET },
          ],
        },
        {
          id: 'revoked',
          accessTokenEnv: 'REVOKED_TOKEN',
          apiBaseUrl: rejectingUrl,
          sources: [{ id: 'app', writeKey: OTHER_KEY }],
        },
      ],
    }),
  );
  serve = await startServeProcess({
    PORT: '0',
    DATA_DIR: path.join(dir, 'data'),
    DESTINATIONS_FILE: path.join(dir, 'destinations.json'),
    REVOKED_TOKEN: OTHER_TOKEN,
    // The most verbose level: whatever any component logs is captured.
    LOG_LEVEL: 'trace',
  });
  ingestUrl = /Segment ingestion\s+(\S+)/.exec(serve.output())?.[1] ?? '';
}, 60_000);

afterAll(async () => {
  if (serve.child.exitCode === null) {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
  await sandbox.close();
  await rejecting.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('secrets never appear in logs, answers, metrics or stored data', () => {
  it('a whole run with good, bad, unauthorized, signed, dead-lettered and paused traffic leaks no token, write key or webhook secret', async () => {
    const json = { 'content-type': 'application/json' };
    // Good traffic, key in the header and in the body (analytics.js style).
    expect(
      (
        await send('/v1/batch', {
          method: 'POST',
          headers: { ...json, authorization: basic(WRITE_KEY) },
          body: JSON.stringify({
            batch: [
              { type: 'identify', messageId: 'leak-1', userId: 'u1', traits: { email: 'u1@example.com' } },
              { type: 'track', messageId: 'leak-2', userId: 'u1', event: 'Signed Up' },
            ],
          }),
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send('/v1/t', {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ writeKey: WRITE_KEY, userId: 'u1', event: 'Viewed', messageId: 'leak-3' }),
        })
      ).status,
    ).toBe(200);
    // Bad traffic that carries the key: broken JSON, invalid event, oversized, wrong scheme, unknown path.
    const refused = [
      send('/v1/batch', {
        method: 'POST',
        headers: { ...json, authorization: basic(WRITE_KEY) },
        body: `{"writeKey":"${WRITE_KEY}",`,
      }),
      send('/v1/track', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ writeKey: WRITE_KEY, event: 7 }),
      }),
      send('/v1/track', {
        method: 'POST',
        headers: { ...json, authorization: basic(WRITE_KEY) },
        body: JSON.stringify({ userId: 'u', event: 'x'.repeat(40_000) }),
      }),
      send('/v1/batch', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${WRITE_KEY}` },
        body: '{"batch":[]}',
      }),
      send(`/v1/nowhere?writeKey=${WRITE_KEY}`, {
        method: 'POST',
        headers: { ...json, authorization: basic(WRITE_KEY) },
        body: '{}',
      }),
    ];
    expect((await Promise.all(refused)).map((r) => r.status)).toEqual([400, 400, 400, 401, 404]);
    // I-7: a signed webhook, and one signed with another secret.
    const hook = JSON.stringify({ type: 'track', messageId: 'leak-hook', userId: 'u1', event: 'Hooked' });
    const signed = (secret: string): RequestInit => ({
      method: 'POST',
      headers: { ...json, 'x-signature': signWebhookBody(secret, hook) },
      body: hook,
    });
    expect((await send('/v1/webhook', signed(WEBHOOK_SECRET))).status).toBe(200);
    expect((await send('/v1/webhook', signed('whsec_not_the_right_one'))).status).toBe(401);

    // A dead letter: Intercom refuses every call with a 400 for a while.
    await eventually(
      () => (sandbox.state().events.length >= 2 ? true : undefined),
      20_000,
      'good events delivered',
    );
    sandbox.setFaults({ errorRate: 1, errorStatus: 400 });
    await send('/v1/track', {
      method: 'POST',
      headers: { ...json, authorization: basic(WRITE_KEY) },
      body: JSON.stringify({ userId: 'u1', event: 'Refused', messageId: 'leak-dead' }),
    });
    // A paused destination: its token is rejected (401) by its workspace.
    await send('/v1/identify', {
      method: 'POST',
      headers: { ...json, authorization: basic(OTHER_KEY) },
      body: JSON.stringify({ userId: 'u2', traits: { email: 'u2@example.com' }, messageId: 'leak-paused' }),
    });
    const metrics = async (): Promise<string> => {
      const response = await send('/metrics', {});
      return response.text();
    };
    // Wait until the event is dead-lettered and the revoked destination is paused (shown by /health).
    let scraped = '';
    let delivery: unknown;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      scraped = await metrics();
      delivery = ((await (await send('/health', {})).json()) as { delivery?: unknown }).delivery;
      const dead =
        /delivery_jobs_dead_total\{destination="main"\} [1-9]/.test(scraped) &&
        /state="dead_letters"\} [1-9]/.test(scraped);
      if (dead && delivery === 'paused') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(scraped).toMatch(/delivery_jobs_dead_total\{destination="main"\} [1-9]/);
    expect(delivery).toBe('paused');

    serve.child.kill('SIGTERM');
    await serve.exited;

    // Everything the run produced: process output, answers, and the raw bytes of the data directory.
    const stored = readdirSync(path.join(dir, 'data')).map((name) =>
      readFileSync(path.join(dir, 'data', name)).toString('latin1'),
    );
    const haystacks = { output: serve.output(), answers: answers.join('\n'), stored: stored.join('\n') };
    expect(serve.output()).toContain('"msg":"incoming request"'); // request logging really was on
    expect(stored.join('')).toContain('leak-dead'); // the dead letter really was written
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of SECRETS) {
        expect(text.includes(secret), `${where} contains ${secret.slice(0, 6)}…`).toBe(false);
      }
    }
  }, 90_000);
});
