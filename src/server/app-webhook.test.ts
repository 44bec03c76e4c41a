import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITE_KEY, basic, post, testIngestApps } from './ingest-app-fixture.js';
import { signWebhookBody, type WebhookSource } from './webhook-signature.js';

const SECRET = 'whsec_Segment_4bd91f0c2e';
const OTHER_SECRET = 'whsec_Other_77a0d3c9e1';
const webhookSources: WebhookSource[] = [
  { sourceId: 'segment-prod', destinationId: 'intercom-main', secret: SECRET },
  { sourceId: 'segment-eu', destinationId: 'intercom-eu', secret: OTHER_SECRET },
];

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

/** An event as Segment's Webhooks destination forwards it: the whole Segment message. */
function segmentEvent(n: number): Record<string, unknown> {
  return {
    type: 'track',
    event: 'Order Completed',
    userId: `u${n}`,
    messageId: `ajs-${n}`,
    timestamp: '2024-05-01T11:59:00.000Z',
    receivedAt: '2024-05-01T11:59:01.000Z',
    properties: { total: n },
    context: { library: { name: 'analytics.js' } },
  };
}

/** POSTs `body` signed with `secret` (in `header`) unless `signature` overrides it. */
async function webhook(
  app: Parameters<typeof post>[0],
  body: string | Buffer,
  options: { secret?: string; header?: string; signature?: string; headers?: Record<string, string> } = {},
) {
  const signature = options.signature ?? signWebhookBody(options.secret ?? SECRET, body);
  const header = options.header ?? 'x-signature';
  return post(app, '/v1/webhook', body, { authorization: '', [header]: signature, ...options.headers });
}

describe('I-7 POST /v1/webhook', () => {
  it('I-7 accepts one signed event object and stores it for the source the secret belongs to', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const response = await webhook(app, JSON.stringify(segmentEvent(1)));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 1, rejected: [] });
    expect(enqueuer.events.map((e) => [e.sourceId, e.destinationId, e.event.messageId])).toEqual([
      ['segment-prod', 'intercom-main', 'ajs-1'],
    ]);
    expect(enqueuer.events[0]?.event.timestamp).toBe('2024-05-01T11:59:00.000Z');
    expect(Object.keys(enqueuer.events[0] ?? {}).sort()).toEqual([
      'destinationId',
      'event',
      'receivedAt',
      'sourceId',
    ]);
  });

  it('I-7 accepts a signed array of 3 events (Webhooks (Actions) with batching)', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const body = JSON.stringify([1, 2, 3].map(segmentEvent));
    const response = await webhook(app, body, { header: 'x-segment-signature' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 3 });
    expect(enqueuer.events.map((e) => e.event.messageId)).toEqual(['ajs-1', 'ajs-2', 'ajs-3']);
  });

  it('I-7 checks a gzip body signature on the decompressed bytes, as Segment signs the JSON', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const json = JSON.stringify([1, 2, 3].map(segmentEvent));
    const response = await webhook(app, gzipSync(json), {
      signature: signWebhookBody(SECRET, json),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(3);
  });

  it("I-7 the secret selects the source: another source's secret delivers to its own destination", async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const response = await webhook(app, JSON.stringify(segmentEvent(4)), { secret: OTHER_SECRET });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events.map((e) => [e.sourceId, e.destinationId])).toEqual([
      ['segment-eu', 'intercom-eu'],
    ]);
  });

  it.each([
    { name: 'a signature made with another secret', options: { secret: 'not-the-secret-at-all' } },
    { name: 'no signature', options: { signature: '' } },
    { name: 'a signature that is not hex', options: { signature: 'z'.repeat(40) } },
    { name: 'a truncated signature', options: { signature: signWebhookBody(SECRET, '{}').slice(0, 39) } },
  ])('I-7 answers 401 to $name and stores nothing', async ({ options }) => {
    const { app, enqueuer } = setup({ webhookSources });
    const response = await webhook(app, JSON.stringify(segmentEvent(5)), options);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'invalid_signature' } });
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 a valid signature replayed with a changed body is 401 and stores nothing', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const original = JSON.stringify(segmentEvent(6));
    const changed = JSON.stringify({ ...segmentEvent(6), userId: 'attacker' });
    const response = await webhook(app, changed, { signature: signWebhookBody(SECRET, original) });
    expect(response.statusCode).toBe(401);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 refuses a batch signed the legacy way (first event only): the rest would be unsigned', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const events = [1, 2, 3].map(segmentEvent);
    const response = await webhook(app, JSON.stringify(events), {
      signature: signWebhookBody(SECRET, JSON.stringify(events[0])),
    });
    expect(response.statusCode).toBe(401);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 a source without a secret refuses webhooks, even with its write key', async () => {
    const { app, enqueuer } = setup();
    const body = JSON.stringify(segmentEvent(7));
    const response = await post(app, '/v1/webhook', body, {
      authorization: basic(WRITE_KEY),
      'x-signature': signWebhookBody(WRITE_KEY, body),
    });
    expect(response.statusCode).toBe(401);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 I-4 stores the valid events of a signed array and reports the invalid ones by index', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const body = JSON.stringify([segmentEvent(8), { type: 'track', userId: 'u9' }, segmentEvent(10)]);
    const response = await webhook(app, body);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 2, rejected: [{ index: 1 }] });
    expect(enqueuer.events.map((e) => e.event.messageId)).toEqual(['ajs-8', 'ajs-10']);
  });

  it('I-7 a signed body that is not JSON is a 400, read only after the signature passed', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    expect((await webhook(app, '{"type":')).statusCode).toBe(400);
    expect((await webhook(app, '{"type":', { secret: 'wrong-secret-here' })).statusCode).toBe(401);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 refuses more events than one request may carry, and bodies over its size limit', async () => {
    const { app, enqueuer } = setup({
      webhookSources,
      limits: { maxWebhookEvents: 2, maxWebhookBytes: 4096 },
    });
    const three = await webhook(app, JSON.stringify([1, 2, 3].map(segmentEvent)));
    expect(three.statusCode).toBe(413);
    expect(three.json()).toMatchObject({ error: { code: 'batch_too_large' } });
    const big = await webhook(app, JSON.stringify([{ ...segmentEvent(1), pad: 'x'.repeat(5000) }]));
    expect(big.statusCode).toBe(413);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-7 I-3 rejects an event over 32 KB inside a signed array, keeping the others', async () => {
    const { app, enqueuer } = setup({ webhookSources });
    const huge = { ...segmentEvent(11), properties: { pad: 'x'.repeat(33 * 1024) } };
    const response = await webhook(app, JSON.stringify([huge, segmentEvent(12)]));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, code: 'event_too_large' }] });
    expect(enqueuer.events.map((e) => e.event.messageId)).toEqual(['ajs-12']);
  });

  it('I-7 never writes the secret or a signature to the logs, answers or metrics', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const { app } = setup({ webhookSources, logger: pino({ level: 'trace' }, sink) });
    const body = JSON.stringify(segmentEvent(13));
    const answers = [
      (await webhook(app, body)).body,
      (await webhook(app, body, { secret: 'a-wrong-secret-value' })).body,
      (await app.inject({ method: 'GET', url: '/metrics' })).body,
    ];
    const everything = [...lines, ...answers].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).toContain('invalid_signature');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(signWebhookBody(SECRET, body));
  });
});
