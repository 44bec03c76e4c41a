import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { LoggerOptions } from 'pino';
import { bodyObject } from './body-fields.js';
import { createApiGate } from './api-gate.js';
import { registerControlRoutes } from './control-routes.js';
import { registerErrorAnswers } from './error-answers.js';
import { type Faults, NO_FAULTS, checkFaults, createFaultSwitch, mergeFaults } from './faults.js';
import { registerIntercomApi } from './intercom-routes.js';
import { registerInspectRoutes } from './inspect-routes.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import { createOAuthGrants } from './oauth-grants.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import type { DemoScriptLoader } from './messenger/demo-script.js';
import { registerMessengerRoutes } from './messenger/routes.js';
import { type RequestValidator, createRequestValidator } from './openapi-validator.js';
import type { RateLimitConfig } from './rate-limit.js';
import { type RecordedRequest, type RecordedViolation, createRequestLog } from './request-log.js';
import { SandboxConfigError } from './sandbox-error.js';
import { type SandboxState, createStore, resetStore, snapshotStore } from './store.js';
import { type Clock, systemClock } from '../clock/clock.js';

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
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for fault injection (default `Math.random`). */
  readonly random?: () => number;
  /** Waits for injected latency (default a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The workspace's App ID, returned by `GET /me` as `app.id_code` (default `sandbox`). */
  readonly appId?: string;
  /** How many requests the log keeps (default 1000). */
  readonly requestLogLimit?: number;
  /**
   * Logging (default off): pino options, or a pino logger to write through. With a logger (serve passes
   * its own) only failures are logged, not every request. Request logs never include headers, so
   * tokens stay out.
   */
  readonly logger?: false | LoggerOptions | FastifyBaseLogger;
  /** Where the demo page's script comes from (default: the build output; tests replace it). */
  readonly demoScript?: DemoScriptLoader;
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

/** The fastify instance, before any route. */
function createApp(logger: false | LoggerOptions | FastifyBaseLogger | undefined): FastifyInstance {
  // forceCloseConnections: a client that gave up during injected latency, or a socket dropped by a fault,
  // must not keep close() waiting; the sandbox holds nothing that needs a graceful drain.
  const common = { genReqId: requestIdGenerator(), forceCloseConnections: true };
  if (isLogger(logger)) {
    const logController = new LogController({ disableRequestLogging: true });
    return Fastify({ ...common, loggerInstance: logger, logController });
  }
  return Fastify({ ...common, logger: logger ?? false });
}

function isLogger(
  logger: false | LoggerOptions | FastifyBaseLogger | undefined,
): logger is FastifyBaseLogger {
  return typeof logger === 'object' && 'child' in logger && typeof logger.child === 'function';
}

/** Creates a sandbox: a stateful, local Intercom that validates every request against the 2.16 OpenAPI description. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  checkOptions(options);
  const validator = options.validator ?? (await createRequestValidator());
  const clock = options.clock ?? systemClock;
  const store = createStore({
    appId: options.appId ?? 'sandbox',
    clock,
    searchLagMs: options.searchLagMs ?? 0,
    eventNameLimit: options.eventNameLimit ?? 120,
    metadataKeyLimit: options.metadataKeyLimit ?? 10,
  });
  const log = createRequestLog(options.requestLogLimit ?? 1000);
  const faults = createFaultSwitch(mergeFaults(NO_FAULTS, options.faults ?? {}));
  const grants = createOAuthGrants(clock);
  const gate = createApiGate({
    log,
    grants,
    token: options.token,
    rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT,
    faults: () => faults.current(),
    clock,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? ((ms) => delay(ms)),
  });
  const reset = (): void => {
    resetStore(store);
    log.clear();
    gate.resetWindow();
    faults.restore();
    grants.reset();
  };

  const app = createApp(options.logger);
  registerJsonBodyParser(app);
  registerErrorAnswers(app, { log, validator, clock });
  registerIntercomApi(app, { store, log, validator, gate, clock });
  registerInspectRoutes(app, { store, log });
  registerControlRoutes(app, { store, faults, reset });
  registerOAuthRoutes(app, { grants, appId: options.appId ?? 'sandbox' });
  registerMessengerRoutes(app, options.demoScript === undefined ? {} : { demoScript: options.demoScript });
  await app.ready();

  return {
    app,
    async listen(listenOptions = {}) {
      return app.listen({ port: listenOptions.port ?? 0, host: listenOptions.host ?? '127.0.0.1' });
    },
    close: () => app.close(),
    state: () => snapshotStore(store),
    requests: () => log.list(),
    violations: () => log.violations(),
    reset,
    setFaults: (partial) => faults.set(bodyObject(partial)),
    faults: () => faults.current(),
  };
}
