import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { ByteBudget } from './byte-budget.js';
import type { IngestError } from './ingest-error.js';
import { InvalidJsonError, InvalidUtf8Error, NestingTooDeepError } from './ingest-error.js';
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
  budget?: ByteBudget,
  answers?: AnswerOf,
): (request: FastifyRequest, payload: IncomingMessage) => Promise<unknown> {
  const raw = createRawBodyParser(limit, budget, answers);
  return async (request, payload) => parseJsonBody(await raw(request, payload));
}

/**
 * Like `createBodyParser`, but the decompressed, capped body is given as bytes, unparsed: a webhook's
 * signature (I-7) is checked on exactly these bytes before anything reads them as JSON.
 */
export function createRawBodyParser(
  limit: BodyLimit,
  budget?: ByteBudget,
  answers?: AnswerOf,
): (request: FastifyRequest, payload: IncomingMessage) => Promise<Buffer> {
  return async (request, payload) => {
    const encoding = request.headers['content-encoding'];
    const contentEncoding = Array.isArray(encoding) ? encoding.join(',') : encoding;
    const declared = Number(request.headers['content-length']);
    const body = await readBody(payload, {
      contentEncoding,
      declaredBytes: Number.isFinite(declared) ? declared : undefined,
      maxBytes: limit.maxBytes,
      tooLarge: limit.tooLarge,
      budget,
    });
    const answer = answers?.(request);
    if (budget === undefined) return body;
    if (answer === undefined || answer.closed) {
      budget.release(body.length);
      return body;
    }
    // The bytes stay taken until the answer is sent (or the connection drops): the parsed events and
    // their wait for the store count against the budget too, so a slow store cannot make memory grow
    // without bound; past the budget new requests get 503 server_busy and are retried.
    answer.once('close', () => budget.release(body.length));
    return body;
  };
}

/** The response a request will be answered on (see `trackAnswers`). */
export type AnswerOf = (request: FastifyRequest) => ServerResponse | undefined;

/**
 * Remembers each request's response, so that the body parser (which Fastify gives only the request)
 * can release the body's budget when the answer is sent. Call `track` from an `onRequest` hook.
 */
export function trackAnswers(): {
  track(request: FastifyRequest, answer: ServerResponse): void;
  answerOf: AnswerOf;
} {
  const answers = new WeakMap<IncomingMessage, ServerResponse>();
  return {
    track: (request, answer) => answers.set(request.raw, answer),
    answerOf: (request) => answers.get(request.raw),
  };
}

/**
 * Deepest JSON nesting accepted, counted from the body's top level. Real events nest a few levels
 * (batch → event → properties → object); parsers, size checks and the store walk values recursively,
 * and a 32 KB event of nested arrays could otherwise overflow the stack of any of them.
 */
export const MAX_JSON_DEPTH = 64;

/** A body's bytes as JSON: UTF-8 only, nesting bounded; an empty body parses to `undefined`. */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    // fatal: invalid byte sequences are refused rather than silently replaced with U+FFFD.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch (error: unknown) {
    throw new InvalidUtf8Error({ cause: error });
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error: unknown) {
    // The parser's message quotes the body, which may hold the write key: keep it only as the cause.
    throw new InvalidJsonError('body is not valid JSON', { cause: error });
  }
  if (!withinDepth(value, MAX_JSON_DEPTH)) throw new NestingTooDeepError(MAX_JSON_DEPTH);
  return value;
}

/**
 * Whether `value` nests at most `levelsLeft` objects/arrays deep; recursion stops at the limit. It walks
 * every value of every body, so it allocates nothing: indexes for arrays and `for…in` for objects
 * (`Object.values` made an array per object, ~8 % of all the bytes ingestion allocated). `JSON.parse`
 * gives plain objects, whose enumerable keys are all their own.
 */
function withinDepth(value: unknown, levelsLeft: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levelsLeft === 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && !withinDepth(child, levelsLeft - 1)) return false;
    }
    return true;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const child = object[key];
    if (typeof child === 'object' && child !== null && !withinDepth(child, levelsLeft - 1)) return false;
  }
  return true;
}
