import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/server/webhook-signature.js';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from './harness.js';

// I-7 over real HTTP on loopback: Segment's Webhooks destination signs what it posts; the whole
// product (store, worker) delivers what it accepts to the in-process sandbox.

const SECRET = 'whsec_e2e_6f0c2a9d41b7';
let service: TestService;
let unsigned: TestService;

beforeAll(async () => {
  service = await startTestService({ SEGMENT_WEBHOOK_SECRET: SECRET });
  // A source with a write key and no webhook secret: webhooks are refused.
  unsigned = await startTestService();
});

afterAll(async () => {
  await service.close();
  await unsigned.close();
});

/** A track as Segment forwards it: the whole message, its messageId and timestamp set by Segment. */
function segmentTrack(id: string, userId: string, second = 0): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    userId,
    messageId: id,
    // Intercom (and the sandbox) drop a second event of one user with the same name and time.
    timestamp: `2024-05-01T11:59:${String(second).padStart(2, '0')}.000Z`,
    properties: { total: { amount: 4200, currency: 'EUR' } },
  };
}

function segmentIdentify(id: string, userId: string): Record<string, unknown> {
  return {
    type: 'identify',
    userId,
    messageId: id,
    timestamp: '2024-05-01T11:58:00.000Z',
    traits: { email: `${userId}@example.com`, plan: 'pro' },
  };
}

async function post(
  target: TestService,
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${target.ingestUrl}/v1/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, json: await response.json() };
}

/** The number of events the store committed so far, from `/metrics`. */
async function stored(target: TestService): Promise<number> {
  const text = await (await fetch(`${target.ingestUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('ingest_events_stored_total{'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('I-7 Segment workspace as a source, end to end on the sandbox', () => {
  it('I-7 delivers one signed event, a signed array of 3 and a signed gzip body', async () => {
    const one = JSON.stringify(segmentIdentify('wh-1', 'wh-user'));
    expect((await post(service, one, { 'x-signature': signWebhookBody(SECRET, one) })).status).toBe(200);
    const three = JSON.stringify([
      segmentTrack('wh-2', 'wh-user'),
      segmentTrack('wh-3', 'wh-user', 1),
      segmentIdentify('wh-4', 'wh-other'),
    ]);
    const batch = await post(service, three, { 'x-segment-signature': signWebhookBody(SECRET, three) });
    expect(batch).toEqual({ status: 200, json: { success: true, accepted: 3, rejected: [] } });
    const zipped = JSON.stringify([segmentTrack('wh-5', 'wh-other')]);
    const gz = await post(service, gzipSync(zipped), {
      'content-encoding': 'gzip',
      'x-signature': signWebhookBody(SECRET, zipped),
    });
    expect(gz.status).toBe(200);

    const sandbox = service.sandbox!;
    const state = await eventually(
      () => {
        const s = sandbox.state();
        return s.events.length === 3 && s.contacts.length === 2 ? s : undefined;
      },
      15_000,
      'the webhook events in the sandbox',
    );
    expect(state.contacts.map((c) => c.external_id).sort()).toEqual(['wh-other', 'wh-user']);
    // Two users, two lanes: their events may interleave; each user's own order is kept (C-RACE-1).
    const byUser = (id: string) =>
      state.events.filter((e) => e.user_id === id).map((e) => [e.created_at, e.metadata['total']]);
    const at = Date.UTC(2024, 4, 1, 11, 59) / 1000;
    expect(byUser('wh-user')).toEqual([
      [at, { amount: 4200, currency: 'EUR' }],
      [at + 1, { amount: 4200, currency: 'EUR' }],
    ]);
    expect(byUser('wh-other')).toEqual([[at, { amount: 4200, currency: 'EUR' }]]);
    expect(sandbox.violations()).toEqual([]);
  });

  it('I-7 answers 401 to a wrong, a missing and a replayed-with-changed-body signature, storing nothing', async () => {
    const before = await stored(service);
    const body = JSON.stringify(segmentTrack('wh-bad-1', 'wh-bad'));
    const changed = JSON.stringify(segmentTrack('wh-bad-1', 'wh-someone-else'));
    const answers = [
      await post(service, body, { 'x-signature': signWebhookBody('another-secret-0000', body) }),
      await post(service, body, {}),
      await post(service, changed, { 'x-signature': signWebhookBody(SECRET, body) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(answers[0]?.json).toMatchObject({ error: { code: 'invalid_signature' } });
    expect(await stored(service)).toBe(before);
    expect(service.sandbox!.state().contacts.some((c) => c.external_id?.startsWith('wh-'))).toBe(true);
    expect(service.sandbox!.state().contacts.some((c) => c.external_id === 'wh-bad')).toBe(false);
  });

  it('I-7 a source without a webhook secret refuses webhooks and stores nothing', async () => {
    const body = JSON.stringify(segmentTrack('wh-none-1', 'wh-none'));
    const answer = await post(unsigned, body, {
      authorization: basicAuth(WRITE_KEY),
      'x-signature': signWebhookBody(WRITE_KEY, body),
    });
    expect(answer.status).toBe(401);
    expect(await stored(unsigned)).toBe(0);
  });
});
