import type { RejectedEvent } from './ingest-response.js';

/**
 * Base class of every failure the ingestion server answers with an error status. `status` and `code`
 * go to the client; messages never contain the write key or the Authorization header.
 */
export class IngestError extends Error {
  override readonly name: string = 'IngestError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.code = code;
  }
}

/** I-2: no write key was sent, or it belongs to no configured source. */
export class UnauthorizedError extends IngestError {
  override readonly name = 'UnauthorizedError';

  constructor(reason: 'missing' | 'unknown') {
    super(
      401,
      'unauthorized',
      reason === 'missing'
        ? 'a write key is required: send HTTP Basic auth with the write key as user name, or writeKey in the body'
        : 'unknown write key',
    );
  }
}

/**
 * I-7: a webhook whose `X-Signature` (or `X-Segment-Signature`) is missing or matches no source's
 * webhook secret, or no source accepts webhooks at all. Says nothing about which sources exist.
 */
export class InvalidSignatureError extends IngestError {
  override readonly name = 'InvalidSignatureError';

  constructor() {
    super(
      401,
      'invalid_signature',
      "X-Signature must be the hex HMAC-SHA1 of the body with the source's webhook secret",
    );
  }
}

/** I-7: a webhook request carries more events than one request may (Segment's largest batch). */
export class TooManyEventsError extends IngestError {
  override readonly name = 'TooManyEventsError';

  constructor(maxEvents: number) {
    super(413, 'batch_too_large', `a request may carry at most ${maxEvents} events`);
  }
}

/** I-3: a single-event request is larger than the per-event limit. */
export class EventTooLargeError extends IngestError {
  override readonly name = 'EventTooLargeError';

  constructor(limitBytes: number) {
    super(400, 'event_too_large', `event exceeds the ${kilobytes(limitBytes)} KB per-event limit`);
  }
}

/** I-3: a batch is larger than the per-batch limit after decompression. */
export class BatchTooLargeError extends IngestError {
  override readonly name = 'BatchTooLargeError';

  constructor(limitBytes: number) {
    super(
      413,
      'batch_too_large',
      `batch exceeds the ${kilobytes(limitBytes)} KB per-batch limit (after decompression)`,
    );
  }
}

/** The body is not JSON (or is empty). */
export class InvalidJsonError extends IngestError {
  override readonly name = 'InvalidJsonError';

  constructor(message: string, options?: ErrorOptions) {
    super(400, 'invalid_json', message, options);
  }
}

/** The body is not well-formed UTF-8 (JSON text must be, RFC 8259 §8.1); nothing is guessed. */
export class InvalidUtf8Error extends IngestError {
  override readonly name = 'InvalidUtf8Error';

  constructor(options?: ErrorOptions) {
    super(400, 'invalid_utf8', 'body is not valid UTF-8', options);
  }
}

/** The JSON nests deeper than any real event does; refused before anything walks it recursively. */
export class NestingTooDeepError extends IngestError {
  override readonly name = 'NestingTooDeepError';

  constructor(maxDepth: number) {
    super(400, 'nesting_too_deep', `JSON nests deeper than ${maxDepth} levels`);
  }
}

/** `Content-Encoding` names a coding the server does not decode. */
export class UnsupportedEncodingError extends IngestError {
  override readonly name = 'UnsupportedEncodingError';

  constructor() {
    super(415, 'unsupported_encoding', 'Content-Encoding must be gzip, deflate, br or identity');
  }
}

/** The body does not decompress with the coding its `Content-Encoding` names. */
export class InvalidEncodingError extends IngestError {
  override readonly name = 'InvalidEncodingError';

  constructor(options?: ErrorOptions) {
    super(400, 'invalid_encoding', 'body could not be decompressed with its Content-Encoding', options);
  }
}

/** The client went away before the body was complete. */
export class RequestAbortedError extends IngestError {
  override readonly name = 'RequestAbortedError';

  constructor(options?: ErrorOptions) {
    super(400, 'request_aborted', 'the request body ended early', options);
  }
}

/** A single-event route got an event that breaks Segment's rules. */
export class InvalidEventError extends IngestError {
  override readonly name = 'InvalidEventError';

  constructor(message: string) {
    super(400, 'invalid_event', message);
  }
}

/** A batch whose envelope is malformed, or in which no event is valid (I-4 needs at least one to accept). */
export class InvalidBatchError extends IngestError {
  override readonly name = 'InvalidBatchError';
  readonly rejected: readonly RejectedEvent[];

  constructor(message: string, rejected: readonly RejectedEvent[] = []) {
    super(400, 'invalid_batch', message);
    this.rejected = rejected;
  }
}

/** No route matches the method and path. */
export class RouteNotFoundError extends IngestError {
  override readonly name = 'RouteNotFoundError';

  constructor(method: string) {
    super(404, 'not_found', `no ${method} route at this path; Segment's Tracking API lives under /v1`);
  }
}

/** Too many request bodies are being received at once; the client retries later. */
export class ServerBusyError extends IngestError {
  override readonly name = 'ServerBusyError';

  constructor() {
    super(503, 'server_busy', 'too many requests are being received at once; retry later');
  }
}

/** I-5: the durable store did not confirm the events, so the client must retry (never a 200). */
export class StoreUnavailableError extends IngestError {
  override readonly name = 'StoreUnavailableError';

  constructor(options?: ErrorOptions) {
    super(503, 'store_unavailable', 'events could not be stored; retry later', options);
  }
}

function kilobytes(bytes: number): number {
  return Math.round(bytes / 1024);
}
