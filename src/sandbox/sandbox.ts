import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LoggerOptions } from 'pino';
import { bodyObject } from './body-fields.js';
import { codeForStatus, errorBody } from './errors.js';
import { type Faults, NO_FAULTS, checkFaults, mergeFaults } from './faults.js';
import { createIntercomApiState, recordOf, registerIntercomApi, violationsOf } from './intercom-api.js';
import { registerInspectRoutes } from './inspect-routes.js';
import { registerMessengerRoutes } from './messenger/routes.js';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import type { RateLimitConfig } from './rate-limit.js';
import { type RecordedRequest, type RecordedViolation, createRequestLog } from './request-log.js';
import { InvalidJsonBodyError, SandboxConfigError } from './sandbox-error.js';
import { type SandboxState, createStore, resetStore, snapshotStore } from './store.js';

/** How to run a sandbox; every field is optional. */
export interface SandboxOptions {
  /** Accept only this bearer token (default: any non-empty token). */
  readonly token?: string;
  /** A validator to share between sandboxes (loading the OpenAPI description takes about a second). */
  readonly validator?: RequestValidator;
  /** Requests per window (default 1000 per 10 s, like a 6,000/min Intercom app). */
  readonly rateLimit?: RateLimitConfig;
  /** How long a new contact stays invisible to search (default 0). */
  readonly searchLagMs?: number;
  /** Distinct event names per workspace (default 120). */
  readonly eventNameLimit?: number;
  /** Metadata keys kept per event (default 10). */
  readonly metadataKeyLimit?: number;
  /** Initial faults (default none). */
  readonly faults?: Partial<Faults>;
  /** Current time in ms (default `Date.now`). */
  readonly clock?: () => number;
  /** Random numbers in [0, 1) for fault injection (default `Math.random`). */
  readonly random?: () => number;
  /** Waits for injected latency (default a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The workspace's App ID, returned by `GET /me` as `app.id_code` (default `sandbox`). */
  readonly appId?: string;
  /** How many requests the log keeps (default 1000). */
  readonly requestLogLimit?: number;
  /** Fastify/pino logging (default off). Request logs never include headers, so tokens stay out. */
  readonly logger?: false | LoggerOptions;
}

/** A running (or listenable) local Intercom. */
export interface Sandbox {
  /** The fastify instance: test with `app.inject`, or compose it into another server. */
  readonly app: FastifyInstance;
  /** Starts listening (port 0 picks a free one) and returns the base URL. */
  listen(options?: { readonly port?: number; readonly host?: string }): Promise<string>;
  close(): Promise<void>;
  /** Contacts, companies, attachments, events and data attributes as plain JSON. */
  state(): SandboxState;
  /** The request log of the Intercom routes, oldest first. */
  requests(): readonly RecordedRequest[];
  /** Every violation found in the logged requests. */
  violations(): readonly RecordedViolation[];
  /** Empties the state and the request log, restarts the rate-limit window and restores the initial faults. */
  reset(): void;
  /** Changes some faults (the rest stay). */
  setFaults(faults: Partial<Faults>): void;
  /** The faults in force. */
  faults(): Faults;
}

const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 1000, windowMs: 10_000 };

function checkOptions(options: SandboxOptions): void {
  const problems = [...checkFaults(options.faults ?? {})];
  const rate = options.rateLimit;
  if (rate !== undefined && !(rate.limit >= 0 && rate.windowMs > 0))
    problems.push('rateLimit needs limit >= 0 and windowMs > 0');
  for (const key of ['searchLagMs', 'eventNameLimit', 'metadataKeyLimit', 'requestLogLimit'] as const) {
    const v = options[key];
    if (v !== undefined && !(v >= 0)) problems.push(`${key} must be >= 0`);
  }
  if (options.token === '') problems.push('token must not be empty');
  if (problems.length > 0) throw new SandboxConfigError(`Invalid sandbox options: ${problems.join('; ')}`);
}

/** Uuid-shaped request ids from a counter, so ids are deterministic in tests. */
function requestIdGenerator(): () => string {
  let n = 0;
  return () => {
    n += 1;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
}

/** Creates a sandbox: a stateful, local Intercom that validates every request against the 2.16 OpenAPI description. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  checkOptions(options);
  const validator = options.validator ?? (await createRequestValidator());
  const clock = options.clock ?? Date.now;
  const store = createStore({
    appId: options.appId ?? 'sandbox',
    clock,
    searchLagMs: options.searchLagMs ?? 0,
    eventNameLimit: options.eventNameLimit ?? 120,
    metadataKeyLimit: options.metadataKeyLimit ?? 10,
  });
  const log = createRequestLog(options.requestLogLimit ?? 1000);
  const initialFaults = mergeFaults(NO_FAULTS, options.faults ?? {});
  let faults = initialFaults;
  const apiState = createIntercomApiState();

  const app = Fastify({ logger: options.logger ?? false, genReqId: requestIdGenerator() });
  // Clients send DELETE and GET with a JSON content type and no body; Intercom accepts that.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error: unknown) {
      done(new InvalidJsonBodyError('The request body is not valid JSON', { cause: error }), undefined);
    }
  });
  app.setErrorHandler((error: unknown, request, reply) => {
    const status = error instanceof InvalidJsonBodyError ? 400 : statusOf(error);
    const message =
      status >= 500 ? 'Internal sandbox error' : error instanceof Error ? error.message : 'Bad request';
    request.log.error({ err: error }, 'sandbox request failed');
    void reply.code(status).send(errorBody(request.id, codeForStatus(status), message));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/sandbox') && !path.startsWith('/messenger')) {
      log.record(recordOf(request, 404, { time: clock(), violations: violationsOf(validator, request) }));
    }
    void reply
      .code(404)
      .send(errorBody(request.id, 'not_found', `No route ${request.method} ${path} in the sandbox`));
  });

  const setFaults = (input: Readonly<Record<string, unknown>>): void => {
    const problems = checkFaults(input);
    if (problems.length > 0) throw new SandboxConfigError(`Invalid faults: ${problems.join('; ')}`);
    faults = mergeFaults(faults, input);
  };
  const reset = (): void => {
    resetStore(store);
    log.clear();
    apiState.window = createIntercomApiState().window;
    faults = initialFaults;
  };

  registerIntercomApi(
    app,
    {
      store,
      log,
      validator,
      token: options.token,
      rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
      faults: () => faults,
      clock,
      random: options.random ?? Math.random,
      sleep: options.sleep ?? ((ms) => delay(ms)),
    },
    apiState,
  );
  registerInspectRoutes(app, { store, log, faults: () => faults, setFaults, reset });
  registerMessengerRoutes(app);
  await app.ready();

  return {
    app,
    async listen(listenOptions = {}) {
      const address = await app.listen({
        port: listenOptions.port ?? 0,
        host: listenOptions.host ?? '127.0.0.1',
      });
      return address;
    },
    close: () => app.close(),
    state: () => snapshotStore(store),
    requests: () => log.list(),
    violations: () => log.violations(),
    reset,
    setFaults: (partial) => setFaults(bodyObject(partial)),
    faults: () => faults,
  };
}

function statusOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = error.statusCode;
    if (typeof status === 'number' && status >= 400 && status <= 599) return status;
  }
  return 500;
}
