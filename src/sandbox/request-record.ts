import type { FastifyRequest } from 'fastify';
import type { RequestValidator, Violation } from './openapi-validator.js';
import type { RecordedRequest } from './request-log.js';
import { semanticViolations } from './semantic-checks.js';

/** What the sandbox notes about a request while answering it, before it goes into the request log. */
export interface RequestMeta {
  readonly time: number;
  violations: readonly Violation[];
  fault?: 'error' | 'drop';
  /** Which OAuth-issued token the request carried (`oauth-1`, …), never the token itself. */
  credential?: string;
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}

function queryOf(request: FastifyRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') query[k] = v;
  }
  return query;
}

/** Builds the log entry for a request; the body is kept only when there is one. */
export function recordOf(request: FastifyRequest, status: number, meta: RequestMeta): RecordedRequest {
  return {
    id: request.id,
    method: request.method,
    path: pathOf(request),
    query: queryOf(request),
    ...(request.body === undefined ? {} : { body: request.body }),
    status,
    violations: meta.violations,
    time: meta.time,
    ...(meta.fault === undefined ? {} : { fault: meta.fault }),
    ...(meta.credential === undefined ? {} : { credential: meta.credential }),
  };
}

/** Validates one request against the OpenAPI description plus the semantic rules (each finding once). */
export function violationsOf(validator: RequestValidator, request: FastifyRequest): readonly Violation[] {
  const body = request.body;
  const all = [
    ...validator.validate({
      method: request.method,
      path: pathOf(request),
      query: queryOf(request),
      headers: request.headers,
      ...(body === undefined ? {} : { body }),
    }),
    ...semanticViolations(body),
  ];
  // anyOf schemas repeat the same message once per branch (e.g. a missing created_at on /events).
  const seen = new Set<string>();
  return all.filter((v) => {
    const key = `${v.source}\n${v.path}\n${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
