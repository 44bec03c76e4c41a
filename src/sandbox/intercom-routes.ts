import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAuthorized } from './auth.js';
import { registerCompaniesRoutes } from './companies-routes.js';
import { registerContactsRoutes } from './contacts-routes.js';
import { registerDataAttributesRoutes } from './data-attributes-routes.js';
import { codeForStatus } from './api-result.js';
import { registerEventsRoutes } from './events-routes.js';
import { type Faults, chooseFault } from './faults.js';
import { registerMeRoutes } from './me-routes.js';
import type { RequestValidator, Violation } from './openapi-validator.js';
import {
  type RateLimitConfig,
  type RateLimitWindow,
  EMPTY_WINDOW,
  consumeRateLimit,
  windowLabel,
} from './rate-limit.js';
import { sendError } from './reply-result.js';
import type { RecordedRequest, RequestLog } from './request-log.js';
import { semanticViolations } from './semantic-checks.js';
import type { Store } from './store.js';
import type { Clock } from '../clock/clock.js';

/** What the Intercom API routes need from the sandbox. */
export interface IntercomApiDeps {
  readonly store: Store;
  readonly log: RequestLog;
  readonly validator: RequestValidator;
  readonly token: string | undefined;
  readonly rateLimit: RateLimitConfig;
  readonly faults: () => Faults;
  readonly clock: Clock;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Per-request bookkeeping, kept outside the request object so no fastify typing needs augmenting. */
interface RequestMeta {
  readonly time: number;
  violations: readonly Violation[];
  fault?: 'error' | 'drop';
}

/** Mutable state of the API hooks: the rate-limit window, and the requests being answered. */
export interface IntercomApiState {
  window: RateLimitWindow;
  readonly meta: WeakMap<FastifyRequest, RequestMeta>;
}

/** Creates the hooks' state (a reset clears the window). */
export function createIntercomApiState(): IntercomApiState {
  return { window: EMPTY_WINDOW, meta: new WeakMap() };
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

/**
 * Registers the Intercom REST routes inside one encapsulated plugin, so auth, rate limiting, faults,
 * validation and the request log apply to them and not to the sandbox's own routes.
 */
export function registerIntercomApi(
  app: FastifyInstance,
  deps: IntercomApiDeps,
  state: IntercomApiState,
): void {
  void app.register((api, _opts, done) => {
    api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const meta: RequestMeta = { time: deps.clock.now(), violations: [] };
      state.meta.set(request, meta);
      void reply.header('x-request-id', request.id);
      // Intercom sends no rate-limit headers without valid credentials (intercom-api.md §4.1).
      if (!isAuthorized(request.headers.authorization, deps.token)) {
        sendError(request, reply, { status: 401, code: 'unauthorized', message: 'Access Token Invalid' });
        return reply;
      }
      const { window, decision } = consumeRateLimit(state.window, deps.clock.now(), deps.rateLimit);
      state.window = window;
      void reply.headers({
        'x-ratelimit-limit': String(decision.limit),
        'x-ratelimit-remaining': String(decision.remaining),
        'x-ratelimit-reset': String(decision.resetSeconds),
      });
      if (!decision.allowed) {
        const message = `Exceeded rate limit of ${decision.limit} in ${windowLabel(deps.rateLimit.windowMs)}`;
        sendError(request, reply, { status: 429, code: 'rate_limit_exceeded', message });
        return reply;
      }
      const faults = deps.faults();
      if (faults.latencyMs > 0) await deps.sleep(faults.latencyMs);
      const fault = chooseFault(faults, deps.random);
      if (fault.kind === 'drop') {
        meta.fault = 'drop';
        deps.log.record(recordOf(request, 0, meta));
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (fault.kind === 'error') {
        meta.fault = 'error';
        const message = `Sandbox fault injection: simulated ${fault.status}`;
        sendError(request, reply, { status: fault.status, code: codeForStatus(fault.status), message });
        return reply;
      }
      return undefined;
    });
    api.addHook('preHandler', (request, _reply, next) => {
      const meta = state.meta.get(request);
      if (meta !== undefined) meta.violations = violationsOf(deps.validator, request);
      next();
    });
    api.addHook('onResponse', (request, reply, next) => {
      const meta = state.meta.get(request);
      if (meta !== undefined && meta.fault !== 'drop')
        deps.log.record(recordOf(request, reply.statusCode, meta));
      next();
    });
    registerMeRoutes(api, deps.store);
    registerContactsRoutes(api, deps.store);
    registerCompaniesRoutes(api, deps.store);
    registerEventsRoutes(api, deps.store);
    registerDataAttributesRoutes(api, deps.store);
    done();
  });
}
