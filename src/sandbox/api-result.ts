/** Intercom's error body (`components/schemas/error` in the OpenAPI description). */
export interface IntercomErrorBody {
  readonly type: 'error.list';
  readonly request_id: string;
  readonly errors: readonly { readonly code: string; readonly message: string }[];
}

/** A refusal the sandbox answers the way Intercom would: status, error code, message, extra headers. */
export interface ApiError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The outcome of one store operation: a value, or the Intercom error to answer with. */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Wraps a value as a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failed result from an Intercom error. */
export function fail<T>(
  status: number,
  code: string,
  message: string,
  headers?: Readonly<Record<string, string>>,
): Result<T> {
  return {
    ok: false,
    error: headers === undefined ? { status, code, message } : { status, code, message, headers },
  };
}

/** Builds Intercom's `error.list` body for one error. */
export function errorBody(requestId: string, code: string, message: string): IntercomErrorBody {
  return { type: 'error.list', request_id: requestId, errors: [{ code, message }] };
}

/** The 404 Intercom answers for an unknown contact (`not_found`, "User Not Found"). */
export function userNotFound<T>(): Result<T> {
  return fail(404, 'not_found', 'User Not Found');
}

/** The 404 Intercom answers for an unknown company. */
export function companyNotFound<T>(): Result<T> {
  return fail(404, 'company_not_found', 'Company Not Found');
}

/** The error code Intercom uses for a generic failure of this HTTP status (for injected faults). */
export function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 408:
      return 'request_timeout';
    case 409:
      return 'conflict';
    case 422:
      return 'unprocessable_entity';
    case 429:
      return 'rate_limit_exceeded';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'server_error' : 'client_error';
  }
}
