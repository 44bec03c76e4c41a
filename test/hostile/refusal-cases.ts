import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { MAX_JSON_DEPTH } from '../../src/server/body-parser.js';
import { KB, batchOf, batchOfBytes, bytes, eventOfBytes, nested, track, zeros } from './payload-fixture.js';

/** A request the ingestion server must refuse, with the status and error code it must answer. */
export interface RefusalCase {
  readonly name: string;
  readonly url: string;
  readonly payload: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
}

/** Every refusal case, grouped by what is wrong with the request. */
export const REFUSALS: readonly RefusalCase[] = [
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
