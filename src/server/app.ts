import { type Clock, systemClock } from '../clock/clock.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import type { Enqueuer } from '../delivery/store/enqueue.js';
import { createClientErrorHandler } from './client-error.js';
import { type DeletionDesk, registerDeletionRoutes } from './deletion-routes.js';
import { registerCors, type CorsOptions } from './cors.js';
import { toErrorResponse } from './error-response.js';
import { type HealthCheck, registerHealthRoute } from './health-route.js';
import { InvalidBatchError, RouteNotFoundError } from './ingest-error.js';
import { createIngestMetrics, type IngestMetrics, registerMetricsRoute } from './metrics.js';
import { createRequestLogger } from './request-log.js';
import type { ReplayContext } from './replay-events.js';
import { registerTrackingRoutes, type IngestLimits } from './tracking-routes.js';
import type { WebhookSource } from './webhook-signature.js';
import type { Source } from './write-key-auth.js';

/**
 * Segment's limits (I-3): 32 KB per event, 500 KB per batch; I-7's webhooks: 4,000 events (Segment's
 * largest Webhooks (Actions) batch) and 16 MB per request; L-5's replayed batches (our own admin
 * route, sent by `replay` in batches of up to ~3.7 MB) 4 MB; at most 64 MB of bodies buffered or
 * waiting for their answer at once.
 */
export const DEFAULT_LIMITS: IngestLimits = {
  maxEventBytes: 32 * 1024,
  maxBatchBytes: 500 * 1024,
  maxReplayBytes: 4 * 1024 * 1024,
  maxWebhookBytes: 16 * 1024 * 1024,
  maxWebhookEvents: 4000,
  maxInFlightBytes: 64 * 1024 * 1024,
};

/** Connection bounds that keep slow or idle clients (slowloris) from holding sockets and memory. */
export interface IngestTimeouts {
  /** Whole request head must arrive within this (408 otherwise). */
  readonly headersTimeoutMs: number;
  /** Whole request, head and body, must arrive within this (408 otherwise). */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; above common load balancers' 60 s. */
  readonly keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked: the precision of their enforcement. */
  readonly checkIntervalMs: number;
  /** Largest request head accepted (431 otherwise). */
  readonly maxHeaderBytes: number;
}

/** Timeouts for browsers and servers on ordinary networks; a 500 KB batch needs ~4 s at 1 Mbit/s. */
export const DEFAULT_TIMEOUTS: IngestTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
};

/** A client-chosen request id is kept (for tracing across proxies) only when it is short and plain. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Everything the ingestion server needs, injected. */
export interface IngestOptions {
  /** Write key → the source it authenticates (I-2). Write keys are never logged or stored. */
  readonly sources: ReadonlyMap<string, Source>;
  /** I-7: the sources that accept Segment's Webhooks destination, each with its secret; none by default. */
  readonly webhookSources?: readonly WebhookSource[];
  /** The durable store; the server answers 200 only after `enqueue` resolves (I-5). */
  readonly enqueuer: Enqueuer;
  /** Report for `GET /health`; defaults to `{ok: true}`. */
  readonly health?: HealthCheck;
  /** Browser origins allowed to post; defaults to any origin. */
  readonly cors?: CorsOptions;
  readonly limits?: Partial<IngestLimits>;
  readonly timeouts?: Partial<IngestTimeouts>;
  /** Counters for `GET /metrics`; a fresh set when absent. */
  readonly metrics?: IngestMetrics;
  /** A pino-compatible logger, or `false` (the default) for none. */
  readonly logger?: FastifyBaseLogger | false;
  readonly clock?: Clock;
  /** Id for events without `messageId`; defaults to a random UUID. */
  readonly newMessageId?: () => string;
  /** The admin routes (`/v1/replay`, `/v1/deletions`); absent, they are not served at all. */
  readonly admin?: AdminOptions;
}

/** The admin routes' credential and the parts of the queue they use. */
export interface AdminOptions {
  /** ADMIN_TOKEN (Bearer); without it the admin routes answer 404 `admin_disabled`. */
  readonly token: string | undefined;
  /** Where replayed events go (L-5): a group commit of their own, whose per-batch counts are exact. */
  readonly replay: Enqueuer;
  /** L-4's deletion requests. */
  readonly deletions: DeletionDesk;
}

/** Creates the Segment HTTP Tracking API server (I-1…I-7), not yet listening. */
export function createIngestApp(options: IngestOptions): FastifyInstance {
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const metrics = options.metrics ?? createIngestMetrics();
  const serverOptions = fastifyOptions({ ...DEFAULT_TIMEOUTS, ...options.timeouts }, metrics);
  const app: FastifyInstance =
    options.logger === undefined || options.logger === false
      ? Fastify({ ...serverOptions, logger: false })
      : Fastify({ ...serverOptions, loggerInstance: options.logger });

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.answered(request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.setErrorHandler((error: unknown, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'ingest request failed');
    else request.log.info({ code: body.error.code }, 'ingest request refused');
    if (error instanceof InvalidBatchError && error.rejected.length > 0) {
      for (const entry of error.rejected) metrics.rejected(entry.code, 1);
    } else {
      metrics.rejected(body.error.code, 1);
    }
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request) => {
    throw new RouteNotFoundError(request.method);
  });
  // Bodies are parsed only inside the tracking-route scopes; elsewhere (404s) they are ignored.
  app.removeAllContentTypeParsers();

  registerCors(app, options.cors ?? { origins: '*' });
  registerHealthRoute(app, options.health ?? (() => ({ ok: true })));
  registerMetricsRoute(app, metrics.registry);
  registerTrackingRoutes(
    app,
    {
      sources: options.sources,
      webhookSources: options.webhookSources ?? [],
      maxWebhookEvents: limits.maxWebhookEvents,
      enqueuer: options.enqueuer,
      clock: options.clock ?? systemClock,
      newMessageId: options.newMessageId,
      maxEventBytes: limits.maxEventBytes,
      metrics,
      ...replayContext(options, limits, metrics),
    },
    limits,
  );
  if (options.admin !== undefined) {
    registerDeletionRoutes(app, { adminToken: options.admin.token, desk: options.admin.deletions });
  }
  return app;
}

/** The replay route's context when admin routes are served (L-5). */
function replayContext(
  options: IngestOptions,
  limits: IngestLimits,
  metrics: IngestMetrics,
): { replay?: ReplayContext } {
  const { admin } = options;
  if (admin === undefined) return {};
  const { sources } = options;
  return {
    replay: {
      adminToken: admin.token,
      sources,
      enqueuer: admin.replay,
      maxEventBytes: limits.maxEventBytes,
      metrics,
    },
  };
}

/** Fastify and Node HTTP server options: the connection bounds, request ids and the client-error answer. */
function fastifyOptions(timeouts: IngestTimeouts, metrics: IngestMetrics): FastifyHttpOptions<Server> {
  return {
    // 0 disables the idle-socket timer: the head, request and keep-alive timeouts bound every phase.
    connectionTimeout: 0,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    http: {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      maxHeaderSize: timeouts.maxHeaderBytes,
    },
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    clientErrorHandler: createClientErrorHandler((reason) => metrics.rejected(reason, 1)),
    childLoggerFactory: createRequestLogger,
  };
}
