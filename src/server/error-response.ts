import { IngestError, InvalidBatchError } from './ingest-error.js';
import type { IngestFailureBody } from './ingest-response.js';

/** An HTTP status and the JSON body to answer a failure with. */
export interface ErrorResponse {
  readonly status: number;
  readonly body: IngestFailureBody;
}

/** Fixed texts for framework errors: their own messages may quote request data, which could hold a write key. */
const CLIENT_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  400: { code: 'bad_request', message: 'bad request' },
  404: { code: 'not_found', message: 'not found' },
  405: { code: 'method_not_allowed', message: 'method not allowed' },
  413: { code: 'payload_too_large', message: 'request body too large' },
  414: { code: 'uri_too_long', message: 'request URI too long' },
  415: { code: 'unsupported_media_type', message: 'unsupported media type' },
  431: { code: 'headers_too_large', message: 'request headers too large' },
};

/**
 * The one mapping from any thrown value to the answer: `IngestError`s keep their status, code and
 * message; the framework's client errors keep their status with a fixed message; anything else is a
 * 500 that reveals nothing.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof IngestError) {
    const body: IngestFailureBody = { success: false, error: { code: error.code, message: error.message } };
    if (error instanceof InvalidBatchError && error.rejected.length > 0) {
      return { status: error.status, body: { ...body, rejected: error.rejected } };
    }
    return { status: error.status, body };
  }
  const status = clientStatusOf(error);
  if (status !== undefined) {
    const known = CLIENT_ERRORS[status] ?? { code: 'client_error', message: 'the request was refused' };
    return { status, body: { success: false, error: known } };
  }
  return {
    status: 500,
    body: { success: false, error: { code: 'internal_error', message: 'internal server error' } },
  };
}

function clientStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return undefined;
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
