import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { IngestError } from './ingest-error.js';
import { InvalidJsonError } from './ingest-error.js';
import { readBody } from './read-body.js';

/** The size cap of one group of routes and the error to answer when it is passed. */
export interface BodyLimit {
  readonly maxBytes: number;
  readonly tooLarge: () => IngestError;
}

/**
 * A Fastify content-type parser for every media type: Segment clients post JSON as
 * `application/json`, and analytics.js as `text/plain` (to avoid CORS preflights). The body is
 * decompressed and capped (`readBody`), then parsed as JSON; an empty body parses to `undefined`.
 */
export function createBodyParser(
  limit: BodyLimit,
): (request: FastifyRequest, payload: IncomingMessage) => Promise<unknown> {
  return async (request, payload) => {
    const encoding = request.headers['content-encoding'];
    const contentEncoding = Array.isArray(encoding) ? encoding.join(',') : encoding;
    const declared = Number(request.headers['content-length']);
    const body = await readBody(payload, {
      contentEncoding,
      declaredBytes: Number.isFinite(declared) ? declared : undefined,
      maxBytes: limit.maxBytes,
      tooLarge: limit.tooLarge,
    });
    return parseJson(body);
  };
}

function parseJson(body: Buffer): unknown {
  // A UTF-8 byte order mark is legal in text/plain bodies but not in JSON.
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    // The parser's message quotes the body, which may hold the write key: keep it only as the cause.
    throw new InvalidJsonError('body is not valid JSON', { cause: error });
  }
}
