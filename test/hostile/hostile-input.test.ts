import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/body-parser.js';
import { BATCH_ROUTES, SINGLE_EVENT_ROUTES } from '../../src/server/tracking-routes.js';
import { createHostileApp, errorCode, post, type RecordingEnqueuer } from './ingest-fixture.js';

const KB = 1024;
const track = (extra: object = {}): object => ({ type: 'track', userId: 'u1', event: 'Clicked', ...extra });
const batchOf = (...events: unknown[]): string => JSON.stringify({ batch: events });
/** `n` objects nested inside each other, innermost holding 1. */
const nested = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
/** A batch whose JSON is exactly `bytes` long: 20 track events of 24 KB and one padded to fit. */
function batchOfBytes(bytes: number): string {
  const filler = Array.from({ length: 20 }, () => track({ properties: { pad: 'p'.repeat(24 * KB) } }));
  const base = batchOf(...filler, track({ properties: { pad: '' } }));
  return batchOf(...filler, track({ properties: { pad: 'p'.repeat(bytes - base.length) } }));
}
/** A single track event whose JSON is exactly `bytes` long. */
function eventOfBytes(bytes: number): string {
  const base = JSON.stringify({ userId: 'u1', event: 'Clicked', properties: { pad: '' } });
  return JSON.stringify({
    userId: 'u1',
    event: 'Clicked',
    properties: { pad: 'p'.repeat(bytes - base.length) },
  });
}
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

let app: FastifyInstance;
let enqueuer: RecordingEnqueuer;
beforeAll(() => {
  ({ app, enqueuer } = createHostileApp());
});
afterAll(async () => {
  await app.close();
});

interface RefusalCase {
  readonly name: string;
  readonly url: string;
  readonly payload: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
}

const zeros = (n: number): Buffer => Buffer.alloc(n, 0x20);

const REFUSALS: readonly RefusalCase[] = [
  // Malformed JSON
  { name: 'truncated JSON', url: '/v1/batch', payload: '{"batch": [', status: 400, code: 'invalid_json' },
  {
    name: 'trailing garbage',
    url: '/v1/batch',
    payload: `${batchOf(track())} x`,
    status: 400,
    code: 'invalid_json',
  },
  { name: 'single quotes', url: '/v1/track', payload: "{'userId':'u'}", status: 400, code: 'invalid_json' },
  {
    name: 'NaN literal',
    url: '/v1/track',
    payload: '{"userId":"u","event":NaN}',
    status: 400,
    code: 'invalid_json',
  },
  // Wrong types everywhere
  { name: 'null batch body', url: '/v1/batch', payload: 'null', status: 400, code: 'invalid_batch' },
  { name: 'array batch body', url: '/v1/batch', payload: '[]', status: 400, code: 'invalid_batch' },
  { name: 'batch as object', url: '/v1/batch', payload: '{"batch":{}}', status: 400, code: 'invalid_batch' },
  { name: 'empty batch', url: '/v1/batch', payload: '{"batch":[]}', status: 400, code: 'invalid_batch' },
  {
    name: 'batch of non-objects',
    url: '/v1/b',
    payload: '{"batch":[1,"x",null,[]]}',
    status: 400,
    code: 'invalid_batch',
  },
  {
    name: 'unknown event type',
    url: '/v1/batch',
    payload: batchOf({ type: 'nope', userId: 'u' }),
    status: 400,
    code: 'invalid_batch',
  },
  { name: 'array event body', url: '/v1/track', payload: '[1]', status: 400, code: 'invalid_event' },
  { name: 'number event body', url: '/v1/t', payload: '7', status: 400, code: 'invalid_event' },
  { name: 'empty event body', url: '/v1/track', payload: '', status: 400, code: 'invalid_event' },
  {
    name: 'event name a number',
    url: '/v1/track',
    payload: '{"userId":"u","event":7}',
    status: 400,
    code: 'invalid_event',
  },
  {
    name: 'traits a string',
    url: '/v1/identify',
    payload: '{"userId":"u","traits":"x"}',
    status: 400,
    code: 'invalid_event',
  },
  {
    name: 'properties an array',
    url: '/v1/track',
    payload: '{"userId":"u","event":"e","properties":[1]}',
    status: 400,
    code: 'invalid_event',
  },
  {
    name: 'context a string',
    url: '/v1/page',
    payload: '{"userId":"u","context":"x"}',
    status: 400,
    code: 'invalid_event',
  },
  {
    name: 'garbage timestamp',
    url: '/v1/track',
    payload: '{"userId":"u","event":"e","timestamp":"soon"}',
    status: 400,
    code: 'invalid_event',
  },
  // Deep nesting: refused before any recursive walk (a 500 from a stack overflow before the limit existed)
  {
    name: '10,000 nested arrays',
    url: '/v1/track',
    payload: `{"userId":"u","event":"e","properties":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
    status: 400,
    code: 'nesting_too_deep',
  },
  {
    name: '5,000 nested objects in a batch',
    url: '/v1/batch',
    payload: `{"batch":[{"type":"track","userId":"u","event":"e","properties":${nested(5_000)}}]}`,
    status: 400,
    code: 'nesting_too_deep',
  },
  {
    name: `nesting one level over ${MAX_JSON_DEPTH}`,
    url: '/v1/track',
    payload: `{"userId":"u","event":"e","properties":${nested(MAX_JSON_DEPTH)}}`,
    status: 400,
    code: 'nesting_too_deep',
  },
  // Huge strings
  {
    name: 'I-3 a 40 KB string in a single event',
    url: '/v1/track',
    payload: JSON.stringify(track({ event: 'x'.repeat(40 * KB) })),
    status: 400,
    code: 'event_too_large',
  },
  {
    name: 'I-3 a 600 KB string in a batch',
    url: '/v1/batch',
    payload: batchOf(track({ event: 'x'.repeat(600 * KB) })),
    status: 413,
    code: 'batch_too_large',
  },
  // Invalid UTF-8
  {
    name: 'stray 0xFF byte',
    url: '/v1/track',
    payload: bytes('{"userId":"u', [0xff, 0xfe], '","event":"e"}'),
    status: 400,
    code: 'invalid_utf8',
  },
  {
    name: 'overlong encoding of "/"',
    url: '/v1/batch',
    payload: bytes('{"batch":[{"type":"track","userId":"', [0xc0, 0xaf], '","event":"e"}]}'),
    status: 400,
    code: 'invalid_utf8',
  },
  {
    name: 'UTF-8 encoded surrogate',
    url: '/v1/track',
    payload: bytes('{"userId":"', [0xed, 0xa0, 0x80], '","event":"e"}'),
    status: 400,
    code: 'invalid_utf8',
  },
  {
    name: 'truncated multi-byte sequence',
    url: '/v1/track',
    payload: bytes('{"userId":"u","event":"', [0xe2, 0x82], '"}'),
    status: 400,
    code: 'invalid_utf8',
  },
  // Compression bombs and broken codings
  {
    name: 'I-3 gzip bomb on a batch route',
    url: '/v1/batch',
    payload: gzipSync(zeros(64 * 1024 * KB)),
    headers: { 'content-encoding': 'gzip' },
    status: 413,
    code: 'batch_too_large',
  },
  {
    name: 'I-3 gzip bomb on a single-event route',
    url: '/v1/identify',
    payload: gzipSync(zeros(8 * 1024 * KB)),
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'event_too_large',
  },
  {
    name: 'I-3 deflate bomb',
    url: '/v1/import',
    payload: deflateSync(zeros(64 * 1024 * KB)),
    headers: { 'content-encoding': 'deflate' },
    status: 413,
    code: 'batch_too_large',
  },
  {
    name: 'I-3 brotli bomb',
    url: '/v1/batch',
    payload: brotliCompressSync(zeros(64 * 1024 * KB)),
    headers: { 'content-encoding': 'br' },
    status: 413,
    code: 'batch_too_large',
  },
  {
    name: 'truncated gzip',
    url: '/v1/batch',
    payload: gzipSync(batchOf(track())).subarray(0, 20),
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'invalid_encoding',
  },
  {
    name: 'gzip header on plain JSON',
    url: '/v1/batch',
    payload: batchOf(track()),
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'invalid_encoding',
  },
  {
    name: 'stacked codings',
    url: '/v1/batch',
    payload: gzipSync(gzipSync(batchOf(track()))),
    headers: { 'content-encoding': 'gzip, gzip' },
    status: 415,
    code: 'unsupported_encoding',
  },
  {
    name: 'unknown coding',
    url: '/v1/batch',
    payload: batchOf(track()),
    headers: { 'content-encoding': 'zstd' },
    status: 415,
    code: 'unsupported_encoding',
  },
  // Just over each limit
  {
    name: 'I-3 batch 1 byte over 500 KB',
    url: '/v1/batch',
    payload: batchOfBytes(500 * KB + 1),
    status: 413,
    code: 'batch_too_large',
  },
  {
    name: 'I-3 gzip batch decoding to 1 byte over 500 KB',
    url: '/v1/batch',
    payload: gzipSync(batchOfBytes(500 * KB + 1)),
    headers: { 'content-encoding': 'gzip' },
    status: 413,
    code: 'batch_too_large',
  },
  {
    name: 'I-3 event 1 byte over 32 KB',
    url: '/v1/track',
    payload: eventOfBytes(32 * KB + 1),
    status: 400,
    code: 'event_too_large',
  },
  {
    name: 'I-3 gzip event decoding to 1 byte over 32 KB',
    url: '/v1/track',
    payload: gzipSync(eventOfBytes(32 * KB + 1)),
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    code: 'event_too_large',
  },
  // Auth comes after parsing, but never leaks the key
  {
    name: 'I-2 no write key',
    url: '/v1/batch',
    payload: batchOf(track()),
    headers: { authorization: '' },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'I-2 Basic auth with garbage base64',
    url: '/v1/batch',
    payload: batchOf(track()),
    headers: { authorization: 'Basic %%%' },
    status: 401,
    code: 'unauthorized',
  },
];

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

const ROUTES = [...Object.keys(SINGLE_EVENT_ROUTES), ...BATCH_ROUTES];

describe('hostile input: properties (never a 5xx, always the JSON error shape)', () => {
  it('answers any JSON value on any route with 200 or a 4xx JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 6 }), async (url, value) => {
        const body = url.startsWith('/v1/b') || url === '/v1/import' ? { batch: value } : value;
        const response = await post(app, url, JSON.stringify(body) ?? '');
        expect(response.statusCode === 200 || (response.statusCode >= 400 && response.statusCode < 500)).toBe(
          true,
        );
        if (response.statusCode !== 200) expect(errorCode(response.body)).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  });

  it('answers any bytes with any Content-Encoding with a 4xx JSON error or 200, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom('', 'gzip', 'deflate', 'br', 'identity', 'compress'),
        async (url, raw, encoding) => {
          const headers = encoding === '' ? {} : { 'content-encoding': encoding };
          const response = await post(app, url, Buffer.from(raw), headers);
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode !== 200) expect(errorCode(response.body)).toEqual(expect.any(String));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('I-4 stores exactly the valid events of a partly bad batch, in order', async () => {
    const nonBlank = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => text.trim() !== '');
    const valid = fc.record({
      type: fc.constant('track'),
      userId: nonBlank,
      event: nonBlank,
      properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    });
    const invalid = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.record({ type: fc.constant('track'), userId: fc.constant('u'), event: fc.integer() }),
      fc.record({ type: fc.constant('track'), event: fc.constant('no identity') }),
      fc.record({ type: fc.string({ maxLength: 5 }).filter((t) => !(t in TYPES)), userId: fc.constant('u') }),
    );
    const entry = fc.oneof(
      valid.map((event) => ({ ok: true as const, event })),
      invalid.map((event) => ({ ok: false as const, event })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 30 }), async (entries) => {
        run += 1;
        const batch = entries.map((e, i) =>
          e.ok ? { ...e.event, messageId: `prop-${run}-${i}` } : (e.event as unknown),
        );
        const before = enqueuer.events.length;
        const response = await post(app, '/v1/batch', JSON.stringify({ batch }));
        const wanted = entries.flatMap((e, i) => (e.ok ? [`prop-${run}-${i}`] : []));
        const stored = enqueuer.events.slice(before).map((e) => e.event.messageId);
        expect(stored).toEqual(wanted);
        if (wanted.length === 0) {
          expect(response.statusCode).toBe(400);
        } else {
          expect(response.statusCode).toBe(200);
          const answer = response.json<{ accepted: number; rejected: { index: number }[] }>();
          expect(answer.accepted).toBe(wanted.length);
          expect(answer.rejected.map((r) => r.index)).toEqual(entries.flatMap((e, i) => (e.ok ? [] : [i])));
        }
      }),
      { numRuns: 200 },
    );
  });
});

const TYPES: Readonly<Record<string, true>> = {
  identify: true,
  track: true,
  page: true,
  screen: true,
  group: true,
  alias: true,
};
