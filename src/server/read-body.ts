import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ByteBudget } from './byte-budget.js';
import {
  type IngestError,
  InvalidEncodingError,
  RequestAbortedError,
  ServerBusyError,
  UnsupportedEncodingError,
} from './ingest-error.js';

/** Compressed data can be a little larger than its content (headers, incompressible blocks). */
const ENCODING_OVERHEAD_BYTES = 1024;

/** How to read one request body. */
export interface ReadBodyOptions {
  /** The request's `Content-Encoding` header. */
  readonly contentEncoding: string | undefined;
  /** The request's `Content-Length`, when sent: an honest oversized body is refused before a byte is read. */
  readonly declaredBytes?: number | undefined;
  /** Most bytes of decoded body accepted (I-3: counted after decompression). */
  readonly maxBytes: number;
  /** The error to fail with once the body is over `maxBytes`. */
  readonly tooLarge: () => IngestError;
  /**
   * Shared by all requests: each decoded byte is taken from it (503 `server_busy` when it is spent).
   * On failure the bytes are given back here; on success the caller gives back `body.length`.
   */
  readonly budget?: ByteBudget | undefined;
}

/**
 * Reads a request body into memory, decompressing gzip/deflate/br as a stream and failing as soon as
 * the decoded size passes `maxBytes`: a gzip bomb is refused after inflating at most the limit, never
 * inflated fully first. On failure the rest of the request is discarded, not read into memory.
 */
export function readBody(source: Readable, options: ReadBodyOptions): Promise<Buffer> {
  let decoder: Transform | undefined;
  try {
    decoder = createDecoder(options.contentEncoding);
  } catch (error: unknown) {
    source.resume();
    return Promise.reject(error instanceof UnsupportedEncodingError ? error : new UnsupportedEncodingError());
  }
  const maxRawBytes = options.maxBytes + (decoder === undefined ? 0 : ENCODING_OVERHEAD_BYTES);
  if (options.declaredBytes !== undefined && options.declaredBytes > maxRawBytes) {
    decoder?.destroy();
    source.resume();
    return Promise.reject(options.tooLarge());
  }
  return new Promise<Buffer>((resolve, reject) => {
    collectWithinLimits(source, decoder, { ...options, maxRawBytes }, { resolve, reject });
  });
}

/** Where `collectWithinLimits` reports: the whole decoded body, or the first failure. */
interface BodyOutcome {
  readonly resolve: (body: Buffer) => void;
  readonly reject: (error: IngestError) => void;
}

/**
 * Streams the body through the decoder, counting raw bytes against `maxRawBytes` and decoded bytes
 * against `maxBytes` and the shared budget; settles exactly once.
 */
function collectWithinLimits(
  source: Readable,
  decoder: Transform | undefined,
  options: ReadBodyOptions & { readonly maxRawBytes: number },
  outcome: BodyOutcome,
): void {
  const chunks: Buffer[] = [];
  let rawBytes = 0;
  let decodedBytes = 0;
  let sourceEnded = false;
  let settled = false;

  const fail = (error: IngestError): void => {
    if (settled) return;
    settled = true;
    options.budget?.release(decodedBytes);
    source.off('data', onData);
    decoder?.destroy();
    // Keep the stream flowing with no listener: the remaining bytes are dropped, not buffered.
    source.resume();
    outcome.reject(error);
  };
  const finish = (): void => {
    if (settled) return;
    settled = true;
    outcome.resolve(Buffer.concat(chunks));
  };
  const collect = (chunk: Buffer): void => {
    if (settled) return;
    if (decodedBytes + chunk.length > options.maxBytes) return fail(options.tooLarge());
    if (options.budget !== undefined && !options.budget.take(chunk.length))
      return fail(new ServerBusyError());
    decodedBytes += chunk.length;
    chunks.push(chunk);
  };
  const onData = (chunk: Buffer): void => {
    rawBytes += chunk.length;
    if (rawBytes > options.maxRawBytes) fail(options.tooLarge());
    else if (decoder === undefined) collect(chunk);
    else decoder.write(chunk);
  };

  decoder?.on('data', collect);
  decoder?.on('end', finish);
  decoder?.on('error', (error: unknown) => fail(new InvalidEncodingError({ cause: error })));
  source.on('data', onData);
  source.on('end', () => {
    sourceEnded = true;
    if (decoder === undefined) finish();
    else decoder.end();
  });
  source.on('error', (error: unknown) => fail(new RequestAbortedError({ cause: error })));
  source.on('close', () => {
    if (!sourceEnded) fail(new RequestAbortedError());
  });
}

function createDecoder(contentEncoding: string | undefined): Transform | undefined {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  switch (coding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new UnsupportedEncodingError();
  }
}
