import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BatchTooLargeError, InvalidEncodingError, UnsupportedEncodingError } from './ingest-error.js';
import { readBody } from './read-body.js';

const limit = { maxBytes: 100, tooLarge: () => new BatchTooLargeError(100) };
const chunks = (...parts: Buffer[]): Readable => Readable.from(parts, { objectMode: false });

describe('readBody', () => {
  it('I-3 reads a body of exactly the limit', async () => {
    const body = await readBody(chunks(Buffer.alloc(60, 'a'), Buffer.alloc(40, 'b')), {
      ...limit,
      contentEncoding: undefined,
    });
    expect(body.toString()).toBe('a'.repeat(60) + 'b'.repeat(40));
  });

  it('I-3 fails once a streamed body without Content-Length passes the limit, and drains the rest', async () => {
    const source = chunks(Buffer.alloc(60), Buffer.alloc(60), Buffer.alloc(60));
    const ended = new Promise((resolve) => source.once('end', resolve));
    await expect(readBody(source, { ...limit, contentEncoding: undefined })).rejects.toBeInstanceOf(
      BatchTooLargeError,
    );
    await ended;
    expect(source.readableEnded).toBe(true);
  });

  it('I-3 counts decoded bytes: a small gzip body that inflates past the limit fails', async () => {
    const source = chunks(gzipSync(Buffer.alloc(10_000)));
    await expect(readBody(source, { ...limit, contentEncoding: 'gzip' })).rejects.toBeInstanceOf(
      BatchTooLargeError,
    );
  });

  it('I-1 inflates gzip within the limit', async () => {
    const body = await readBody(chunks(gzipSync(Buffer.from('{"batch":[]}'))), {
      ...limit,
      contentEncoding: 'GZIP',
    });
    expect(body.toString()).toBe('{"batch":[]}');
  });

  it('fails on corrupt gzip and on unknown codings', async () => {
    await expect(
      readBody(chunks(Buffer.from('nope')), { ...limit, contentEncoding: 'gzip' }),
    ).rejects.toBeInstanceOf(InvalidEncodingError);
    await expect(
      readBody(chunks(Buffer.from('{}')), { ...limit, contentEncoding: 'compress' }),
    ).rejects.toBeInstanceOf(UnsupportedEncodingError);
  });

  it('I-3 refuses a declared Content-Length over the limit without reading the body', async () => {
    let reads = 0;
    const source = Readable.from(
      (function* body() {
        for (let chunk = 0; chunk < 10; chunk += 1) {
          reads += 1;
          yield Buffer.alloc(50);
        }
      })(),
      { objectMode: false },
    );
    const readsAtRefusal = await readBody(source, {
      ...limit,
      contentEncoding: undefined,
      declaredBytes: 500,
    }).then(
      () => -1,
      (error: unknown) => (error instanceof BatchTooLargeError ? reads : -2),
    );
    expect(readsAtRefusal).toBe(0);
  });
});
