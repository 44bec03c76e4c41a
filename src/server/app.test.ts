import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../delivery/store/enqueue.js';
import { createIngestApp, type IngestOptions } from './app.js';
import { BATCH_ROUTES, SINGLE_EVENT_ROUTES } from './tracking-routes.js';

const WRITE_KEY = 'wk_live_4f9a';
const sources = new Map([[WRITE_KEY, { sourceId: 'web', destinationId: 'intercom-main' }]]);
const NOW = new Date('2024-05-01T12:00:00.000Z');
const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** Records what was enqueued; `failWith` makes it throw like a broken store. */
class RecordingEnqueuer implements Enqueuer {
  readonly events: IncomingEvent[] = [];
  failWith: Error | undefined = undefined;
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.events.push(...events);
    return Promise.resolve({ stored: events.length, duplicates: 0 });
  }
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function setup(overrides: Partial<IngestOptions> = {}): {
  app: FastifyInstance;
  enqueuer: RecordingEnqueuer;
} {
  const enqueuer = new RecordingEnqueuer();
  let id = 0;
  const app = createIngestApp({
    sources,
    enqueuer,
    clock: { now: () => NOW.getTime() },
    newMessageId: () => `gen-${++id}`,
    ...overrides,
  });
  apps.push(app);
  return { app, enqueuer };
}

async function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  const options: InjectOptions = {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY), ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  };
  return app.inject(options);
}

const validByType = {
  identify: { userId: 'u1', traits: { email: 'ada@example.com' } },
  track: { userId: 'u1', event: 'Signed Up' },
  page: { anonymousId: 'a1', name: 'Home' },
  screen: { anonymousId: 'a1', name: 'Settings' },
  group: { userId: 'u1', groupId: 'g1' },
  alias: { userId: 'u1', previousId: 'a1' },
} as const;

describe('I-1 routes', () => {
  it.each(Object.entries(SINGLE_EVENT_ROUTES))('I-1 POST %s stores a %s event', async (url, type) => {
    const { app, enqueuer } = setup();
    const response = await post(app, url, validByType[type]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 1, rejected: [] });
    expect(enqueuer.events).toHaveLength(1);
    expect(enqueuer.events[0]).toMatchObject({
      sourceId: 'web',
      destinationId: 'intercom-main',
      event: { type },
    });
  });

  it.each(BATCH_ROUTES)('I-1 POST %s stores every event of the batch', async (url) => {
    const { app, enqueuer } = setup();
    const batch = [
      { type: 'identify', ...validByType.identify },
      { type: 'track', ...validByType.track },
    ];
    const response = await post(app, url, { batch });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 2, rejected: [] });
    expect(enqueuer.events.map((incoming) => incoming.event.type)).toEqual(['identify', 'track']);
  });

  it('I-1 parses text/plain bodies as JSON (analytics.js), with writeKey in the body', async () => {
    const { app, enqueuer } = setup();
    const response = await post(
      app,
      '/v1/t',
      JSON.stringify({ ...validByType.track, type: 'track', writeKey: WRITE_KEY }),
      {
        'content-type': 'text/plain;charset=UTF-8',
        authorization: '',
      },
    );
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events[0]?.event).toMatchObject({ type: 'track', event: 'Signed Up' });
    expect(enqueuer.events[0]?.event).not.toHaveProperty('writeKey');
  });

  it('I-1 parses a body sent without a content type', async () => {
    const { app, enqueuer } = setup();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: basic(WRITE_KEY) },
      payload: Buffer.from(JSON.stringify(validByType.identify)),
    });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it.each([
    { encoding: 'gzip', compress: gzipSync },
    { encoding: 'deflate', compress: deflateSync },
    { encoding: 'br', compress: brotliCompressSync },
  ])('I-1 decompresses Content-Encoding $encoding', async ({ encoding, compress }) => {
    const { app, enqueuer } = setup();
    const body = compress(Buffer.from(JSON.stringify({ batch: [{ type: 'track', ...validByType.track }] })));
    const response = await post(app, '/v1/batch', body, { 'content-encoding': encoding });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-1 refuses an unknown Content-Encoding with 415', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', { batch: [] }, { 'content-encoding': 'zstd' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_encoding');
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-1 answers 400 to a body that claims gzip but is not', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/batch', 'plain text', { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_encoding');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const { app } = setup();
    const response = await post(app, '/v2/track', validByType.track);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
  });

  it('answers invalid JSON with 400 without quoting the body', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/track', `{"writeKey":"${WRITE_KEY}",`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      error: { code: 'invalid_json', message: 'body is not valid JSON' },
    });
    expect(response.body).not.toContain(WRITE_KEY);
    expect(enqueuer.events).toHaveLength(0);
  });
});

describe('I-2 auth', () => {
  it('I-2 accepts HTTP Basic auth with the write key as user name', async () => {
    const { app, enqueuer } = setup();
    expect((await post(app, '/v1/identify', validByType.identify)).statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-2 accepts writeKey in the body of a batch', async () => {
    const { app, enqueuer } = setup();
    const response = await post(
      app,
      '/v1/b',
      { writeKey: WRITE_KEY, batch: [{ type: 'page', ...validByType.page }] },
      { authorization: '' },
    );
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it.each([
    {
      name: 'no write key',
      headers: { authorization: '' },
      body: validByType.identify,
      message: /write key is required/,
    },
    {
      name: 'an unknown Basic key',
      headers: { authorization: basic('wk_other') },
      body: validByType.identify,
      message: /unknown write key/,
    },
    {
      name: 'an unknown body key',
      headers: { authorization: '' },
      body: { ...validByType.identify, writeKey: 'wk_other' },
      message: /unknown write key/,
    },
  ])('I-2 answers 401 to $name and stores nothing', async ({ headers, body, message }) => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/identify', body, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'unauthorized', message } });
    expect(response.body).not.toContain('wk_other');
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-2 never writes the write key or Authorization header to the logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const { app } = setup({ logger: pino({ level: 'trace' }, sink) });
    await post(app, '/v1/identify', validByType.identify);
    await post(
      app,
      '/v1/identify',
      { ...validByType.identify, writeKey: 'wk_secret_body' },
      { authorization: '' },
    );
    await post(app, '/v1/batch', `{"writeKey":"wk_secret_json",`, {
      authorization: basic('wk_secret_basic'),
    });
    const log = lines.join('');
    expect(log).toContain('ingest request refused');
    for (const secret of [
      WRITE_KEY,
      'wk_secret_body',
      'wk_secret_json',
      'wk_secret_basic',
      Buffer.from(`${WRITE_KEY}:`).toString('base64'),
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('I-3 limits', () => {
  const eventOfBytes = (bytes: number): Record<string, string> => {
    const base = { type: 'track', userId: 'u1', event: 'Big', blob: '' };
    return { ...base, blob: 'x'.repeat(bytes - JSON.stringify(base).length) };
  };

  it('I-3 accepts a single event of exactly 32 KB and refuses one byte more with 400', async () => {
    const { app, enqueuer } = setup();
    expect((await post(app, '/v1/track', eventOfBytes(32 * 1024))).statusCode).toBe(200);
    const over = await post(app, '/v1/track', eventOfBytes(32 * 1024 + 1));
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({
      success: false,
      error: { code: 'event_too_large', message: 'event exceeds the 32 KB per-event limit' },
    });
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-3 rejects only the oversized event of a batch', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', {
      batch: [eventOfBytes(1000), eventOfBytes(32 * 1024 + 1)],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, code: 'event_too_large' }] });
    expect(enqueuer.events).toHaveLength(1);
  });

  const batchOfBytes = (bytes: number): string => {
    const events = Array.from({ length: 15 }, () => eventOfBytes(30 * 1024));
    const body = { batch: events, pad: '' };
    return JSON.stringify({ ...body, pad: 'p'.repeat(bytes - JSON.stringify(body).length) });
  };

  it('I-3 accepts a batch of exactly 500 KB and refuses one byte more with 413 naming the limit', async () => {
    const { app, enqueuer } = setup();
    const under = batchOfBytes(500 * 1024);
    expect(Buffer.byteLength(under)).toBe(500 * 1024);
    expect((await post(app, '/v1/batch', under)).statusCode).toBe(200);
    const over = await post(app, '/v1/batch', batchOfBytes(500 * 1024 + 1));
    expect(over.statusCode).toBe(413);
    expect(over.json()).toEqual({
      success: false,
      error: {
        code: 'batch_too_large',
        message: 'batch exceeds the 500 KB per-batch limit (after decompression)',
      },
    });
    expect(enqueuer.events).toHaveLength(15);
  });

  it('I-3 counts the limit after decompression', async () => {
    const { app, enqueuer } = setup();
    const body = gzipSync(Buffer.from(batchOfBytes(500 * 1024 + 1)));
    expect(body.length).toBeLessThan(100 * 1024);
    const response = await post(app, '/v1/batch', body, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-3 refuses a gzip bomb (1 GB of zeros in ~1 MB) early with 413', async () => {
    const { app, enqueuer } = setup();
    // 1024 concatenated gzip members of 1 MB of zeros each: a valid 1 GB stream of ~1 MB.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(bomb.length).toBeLessThan(1.5 * 1024 * 1024);
    const started = process.memoryUsage().arrayBuffers;
    const response = await post(app, '/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('batch_too_large');
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(32 * 1024 * 1024);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-3 honours configured limits', async () => {
    const { app } = setup({ limits: { maxEventBytes: 200 } });
    expect((await post(app, '/v1/track', eventOfBytes(201))).statusCode).toBe(400);
  });
});

describe('I-4 partial acceptance', () => {
  it('I-4 stores the valid events and reports the rejected ones by index', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u1' },
        { type: 'track', userId: 'u1' },
        { type: 'group', userId: 'u1', groupId: 'g1' },
        { type: 'page' },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      accepted: 2,
      rejected: [
        { index: 1, code: 'missing_event', reason: 'event must be a non-empty string' },
        { index: 3, code: 'missing_identity', reason: 'userId or anonymousId is required' },
      ],
    });
    expect(enqueuer.events.map((incoming) => incoming.event.type)).toEqual(['identify', 'group']);
  });

  it('I-4 refuses a batch with no valid event with 400 and the reasons', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', { batch: [{ type: 'track', userId: 'u1' }] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      error: { code: 'invalid_batch' },
      rejected: [{ index: 0 }],
    });
    expect(enqueuer.events).toHaveLength(0);
  });

  it.each([
    { name: 'an empty batch', body: { batch: [] }, message: 'batch must contain at least one event' },
    { name: 'a body without batch', body: { events: [] }, message: 'batch must be an array of events' },
  ])('I-4 refuses $name with 400', async ({ body, message }) => {
    const { app } = setup();
    const response = await post(app, '/v1/batch', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: { code: 'invalid_batch', message } });
  });

  it.each([
    { url: '/v1/track', body: { userId: 'u1' }, message: 'event must be a non-empty string' },
    { url: '/v1/identify', body: { traits: { plan: 'pro' } }, message: 'userId or anonymousId is required' },
    { url: '/v1/group', body: { userId: 'u1' }, message: 'groupId is required' },
    { url: '/v1/identify', body: { userId: 'u1', traits: 'vip' }, message: 'traits must be an object' },
    { url: '/v1/identify', body: [1], message: 'event must be a JSON object' },
  ])('I-4 answers an invalid single event on $url with 400 "$message"', async ({ url, body, message }) => {
    const { app, enqueuer } = setup();
    const response = await post(app, url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: { code: 'invalid_event', message } });
    expect(enqueuer.events).toHaveLength(0);
  });

  it('answers an empty single-event body with 400', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/track', '');
    expect(response.statusCode).toBe(400);
  });
});

describe('I-5 durability', () => {
  it('I-5 answers 503, never 200, when the store fails', async () => {
    const { app, enqueuer } = setup();
    enqueuer.failWith = new TypeError('disk full');
    const response = await post(app, '/v1/batch', { batch: [{ type: 'track', ...validByType.track }] });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      success: false,
      error: { code: 'store_unavailable', message: 'events could not be stored; retry later' },
    });
  });

  it('I-5 does not answer before the store has committed', async () => {
    let commit: (result: EnqueueResult) => void = () => undefined;
    const enqueuer: Enqueuer = {
      enqueue: () =>
        new Promise<EnqueueResult>((resolve) => {
          commit = resolve;
        }),
    };
    const { app } = setup({ enqueuer });
    let answered = false;
    const pending = post(app, '/v1/track', validByType.track).then((response) => {
      answered = true;
      return response;
    });
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    commit({ stored: 1, duplicates: 0 });
    expect((await pending).statusCode).toBe(200);
  });

  it('I-5 keeps client messageIds so the store can drop a retried batch', async () => {
    const { app, enqueuer } = setup();
    const body = { batch: [{ type: 'track', ...validByType.track, messageId: 'msg-1' }] };
    await post(app, '/v1/batch', body, { 'x-retry-count': '0' });
    await post(app, '/v1/batch', body, { 'x-retry-count': '1' });
    expect(enqueuer.events.map((incoming) => incoming.event.messageId)).toEqual(['msg-1', 'msg-1']);
  });
});

describe('I-6 timestamps', () => {
  it('I-6 sets receivedAt from the server clock and corrects originalTimestamp by sentAt', async () => {
    const { app, enqueuer } = setup();
    await post(app, '/v1/batch', {
      sentAt: '2024-05-01T11:00:05.000Z',
      batch: [
        { type: 'track', ...validByType.track, originalTimestamp: '2024-05-01T11:00:00.000Z' },
        { type: 'track', ...validByType.track, timestamp: '2024-04-01T00:00:00.000Z' },
        { type: 'track', ...validByType.track },
      ],
    });
    expect(enqueuer.events.map((incoming) => [incoming.receivedAt, incoming.event.timestamp])).toEqual([
      ['2024-05-01T12:00:00.000Z', '2024-05-01T11:59:55.000Z'],
      ['2024-05-01T12:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ]);
    expect(enqueuer.events[0]?.event.receivedAt).toBe('2024-05-01T12:00:00.000Z');
  });

  it('I-6 generates a messageId when the client sent none', async () => {
    const { app, enqueuer } = setup();
    await post(app, '/v1/track', validByType.track);
    expect(enqueuer.events[0]?.event.messageId).toBe('gen-1');
  });
});

describe('I-1 CORS', () => {
  it('I-1 answers a browser preflight', async () => {
    const { app } = setup();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,content-encoding',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']).toContain('content-encoding');
  });

  it('I-1 lets browsers read the answer of a cross-origin post', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/t', validByType.track, { origin: 'https://shop.example' });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('I-1 allows only configured origins when a list is given', async () => {
    const { app } = setup({ cors: { origins: ['https://shop.example'] } });
    const allowed = await post(app, '/v1/t', validByType.track, { origin: 'https://shop.example' });
    const other = await post(app, '/v1/t', validByType.track, { origin: 'https://evil.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('GET /health', () => {
  it('answers 200 with the report when ok', async () => {
    const { app } = setup({ health: () => ({ ok: true, store: 'sqlite', paused: [] }) });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, store: 'sqlite', paused: [] });
  });

  it('answers 503 when the report is not ok', async () => {
    const { app } = setup({ health: () => Promise.resolve({ ok: false, paused: ['intercom-main'] }) });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ok: false, paused: ['intercom-main'] });
  });

  it('answers 503 when the check itself throws', async () => {
    const { app } = setup({
      health: () => {
        throw new TypeError('store closed');
      },
    });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ ok: false, error: 'health check failed' });
  });

  it('defaults to ok', async () => {
    const { app } = setup();
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true });
  });
});
