import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/body-parser.js';
import { createHostileApp, errorCode, post, type RecordingEnqueuer } from './ingest-fixture.js';
import { KB, batchOf, batchOfBytes, bytes, eventOfBytes, nested, track } from './payload-fixture.js';
import { REFUSALS } from './refusal-cases.js';

let app: FastifyInstance;
let enqueuer: RecordingEnqueuer;
beforeAll(() => {
  ({ app, enqueuer } = createHostileApp());
});
afterAll(async () => {
  await app.close();
});

describe('hostile input: each bad request gets its specific 4xx JSON error', () => {
  it.each(REFUSALS)('$name → $status $code', async ({ url, payload, headers, status, code }) => {
    const before = enqueuer.events.length;
    const response = await post(app, url, payload, headers);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(errorCode(response.body)).toBe(code);
    expect(enqueuer.events.length).toBe(before);
  });
});

describe('hostile input: just under each limit is accepted', () => {
  it.each([
    { name: 'I-3 batch of exactly 500 KB', url: '/v1/batch', payload: batchOfBytes(500 * KB), events: 21 },
    {
      name: 'I-3 gzip batch decoding to exactly 500 KB',
      url: '/v1/batch',
      payload: gzipSync(batchOfBytes(500 * KB)),
      headers: { 'content-encoding': 'gzip' },
      events: 21,
    },
    { name: 'I-3 event of exactly 32 KB', url: '/v1/track', payload: eventOfBytes(32 * KB) },
    {
      name: 'I-3 brotli event decoding to exactly 32 KB',
      url: '/v1/track',
      payload: brotliCompressSync(eventOfBytes(32 * KB)),
      headers: { 'content-encoding': 'br' },
    },
    {
      name: `nesting of exactly ${MAX_JSON_DEPTH} levels`,
      url: '/v1/track',
      payload: `{"userId":"u","event":"e","properties":${nested(MAX_JSON_DEPTH - 1)}}`,
    },
    {
      name: 'escaped lone surrogate (valid JSON)',
      url: '/v1/track',
      payload: '{"userId":"\\ud800","event":"e"}',
    },
    {
      name: 'byte order mark before the JSON',
      url: '/v1/track',
      payload: bytes([0xef, 0xbb, 0xbf], '{"userId":"u","event":"e"}'),
    },
  ] as {
    name: string;
    url: string;
    payload: string | Buffer;
    headers?: Record<string, string>;
    events?: number;
  }[])('$name → 200', async ({ url, payload, headers, events = 1 }) => {
    const before = enqueuer.events.length;
    const response = await post(app, url, payload, headers);
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events.length).toBe(before + events);
  });

  it('I-4 keeps the good events of a batch with an oversized, a mistyped and a non-object entry', async () => {
    const good = [track({ messageId: 'keep-1' }), track({ messageId: 'keep-2', event: 'Bought' })];
    const payload = batchOf(
      good[0],
      track({ event: 'x'.repeat(40 * KB) }),
      { type: 'track', userId: 'u', event: 7 },
      good[1],
      'not an event',
    );
    const response = await post(app, '/v1/batch', payload);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      accepted: 2,
      rejected: [
        { index: 1, code: 'event_too_large' },
        { index: 2, code: 'invalid_string' },
        { index: 4, code: 'not_object' },
      ],
    });
    const kept = enqueuer.events.filter((e) => e.event.messageId.startsWith('keep-'));
    expect(kept.map((e) => e.event.messageId)).toEqual(['keep-1', 'keep-2']);
  });

  it('does not let __proto__ keys pollute prototypes', async () => {
    const response = await post(
      app,
      '/v1/track',
      '{"userId":"u","event":"e","__proto__":{"polluted":1},"properties":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}',
    );
    expect(response.statusCode).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
