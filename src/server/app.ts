import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Enqueuer } from '../delivery/enqueue.js';
import { registerCors, type CorsOptions } from './cors.js';
import { toErrorResponse } from './error-response.js';
import { type HealthCheck, registerHealthRoute } from './health-route.js';
import { RouteNotFoundError } from './ingest-error.js';
import { registerTrackingRoutes, type IngestLimits } from './tracking-routes.js';
import type { Source } from './write-key-auth.js';

/** Segment's limits (I-3): 32 KB per event, 500 KB per batch. */
export const DEFAULT_LIMITS: IngestLimits = { maxEventBytes: 32 * 1024, maxBatchBytes: 500 * 1024 };

/** Everything the ingestion server needs, injected. */
export interface IngestOptions {
  /** Write key → the source it authenticates (I-2). Write keys are never logged or stored. */
  readonly sources: ReadonlyMap<string, Source>;
  /** The durable store; the server answers 200 only after `enqueue` resolves (I-5). */
  readonly enqueuer: Enqueuer;
  /** Report for `GET /health`; defaults to `{ok: true}`. */
  readonly health?: HealthCheck;
  /** Browser origins allowed to post; defaults to any origin. */
  readonly cors?: CorsOptions;
  readonly limits?: Partial<IngestLimits>;
  /** A pino-compatible logger, or `false` (the default) for none. */
  readonly logger?: FastifyBaseLogger | false;
  readonly now?: () => Date;
  /** Id for events without `messageId`; defaults to a random UUID. */
  readonly newMessageId?: () => string;
}

/** Creates the Segment HTTP Tracking API server (I-1…I-6), not yet listening. */
export function createIngestApp(options: IngestOptions): FastifyInstance {
  const app: FastifyInstance =
    options.logger === undefined || options.logger === false
      ? Fastify({ logger: false })
      : Fastify({ loggerInstance: options.logger });
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...options.limits };

  app.setErrorHandler((error: unknown, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'ingest request failed');
    else request.log.info({ code: body.error.code }, 'ingest request refused');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request) => {
    throw new RouteNotFoundError(request.method);
  });
  // Bodies are parsed only inside the tracking-route scopes; elsewhere (404s) they are ignored.
  app.removeAllContentTypeParsers();

  registerCors(app, options.cors ?? { origins: '*' });
  registerHealthRoute(app, options.health ?? (() => ({ ok: true })));
  registerTrackingRoutes(
    app,
    {
      sources: options.sources,
      enqueuer: options.enqueuer,
      now: options.now ?? (() => new Date()),
      newMessageId: options.newMessageId,
      maxEventBytes: limits.maxEventBytes,
    },
    limits,
  );
  return app;
}
