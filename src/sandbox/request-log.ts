import type { Violation } from './openapi-validator.js';

/** One request to an Intercom route, as the sandbox saw it. */
export interface RecordedRequest {
  /** Intercom's `request_id`, also in error bodies and the `X-Request-Id` header. */
  readonly id: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Status answered; 0 when the connection was dropped by an injected fault. */
  readonly status: number;
  readonly violations: readonly Violation[];
  /** When the request arrived, in ms since the epoch (sandbox clock). */
  readonly time: number;
  /** The injected fault, when one was applied. */
  readonly fault?: 'error' | 'drop';
  /** The OAuth-issued token the request carried, by its label (`oauth-1`); absent for other tokens. */
  readonly credential?: string;
}

/** A violation with the request it was found in. */
export interface RecordedViolation extends Violation {
  readonly requestId: string;
  readonly method: string;
  readonly requestPath: string;
  readonly time: number;
}

/** The sandbox's bounded request log (oldest entries go first). */
export interface RequestLog {
  record(request: RecordedRequest): void;
  list(): readonly RecordedRequest[];
  violations(): readonly RecordedViolation[];
  clear(): void;
}

/** Creates a request log that keeps the last `limit` requests. */
export function createRequestLog(limit: number): RequestLog {
  const entries: RecordedRequest[] = [];
  return {
    record(request) {
      entries.push(request);
      if (entries.length > limit) entries.splice(0, entries.length - limit);
    },
    list: () => [...entries],
    violations: () =>
      entries.flatMap((r) =>
        r.violations.map((v) => ({
          ...v,
          requestId: r.id,
          method: r.method,
          requestPath: r.path,
          time: r.time,
        })),
      ),
    clear() {
      entries.length = 0;
    },
  };
}
