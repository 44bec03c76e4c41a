import type { FastifyInstance } from 'fastify';
import type { SegmentEventType } from '../segment/event.js';
import { createBodyParser, trackAnswers } from './body-parser.js';
import { createByteBudget } from './byte-budget.js';
import { BatchTooLargeError, EventTooLargeError, type IngestError } from './ingest-error.js';
import { ingestBatch, ingestSingle, type IngestContext } from './ingest-events.js';
import { ingestReplay } from './replay-events.js';
import type { WebhookContext } from './webhook-ingest.js';
import { registerWebhookRoute } from './webhook-route.js';

/** I-1: Segment's single-event routes, long and analytics.js's short forms, with the type each implies. */
export const SINGLE_EVENT_ROUTES: Readonly<Record<string, SegmentEventType>> = {
  '/v1/identify': 'identify',
  '/v1/i': 'identify',
  '/v1/track': 'track',
  '/v1/t': 'track',
  '/v1/page': 'page',
  '/v1/p': 'page',
  '/v1/screen': 'screen',
  '/v1/s': 'screen',
  '/v1/group': 'group',
  '/v1/g': 'group',
  '/v1/alias': 'alias',
  '/v1/a': 'alias',
};

/** I-1: the batch routes (`/v1/import` is Segment's historical import endpoint, same body). */
export const BATCH_ROUTES: readonly string[] = ['/v1/batch', '/v1/b', '/v1/import'];

/** Size limits (I-3, I-7), in bytes of decoded body. */
export interface IngestLimits {
  readonly maxEventBytes: number;
  readonly maxBatchBytes: number;
  /**
   * L-5: most bytes of one `POST /v1/replay` batch. Larger than Segment's 500 KB: the store commits
   * the replayed events in flight together (up to 20,000), so only large batches make large commits.
   */
  readonly maxReplayBytes: number;
  /** I-7: most bytes of one webhook request (Segment's Webhooks (Actions) batch up to 4,000 events). */
  readonly maxWebhookBytes: number;
  /** I-7: most events in one webhook request. */
  readonly maxWebhookEvents: number;
  /** Most body bytes across all requests being read or waiting for their answer; beyond it 503 `server_busy`. */
  readonly maxInFlightBytes: number;
}

/**
 * Registers the Tracking API routes, L-5's replay route and I-7's webhook route. Single-event, batch,
 * replay and webhook routes live in separate plugin scopes so each has its own body parser and cap: a
 * single event over the per-event limit is a 400, a batch, replay or webhook request over its limit a 413.
 */
export function registerTrackingRoutes(
  app: FastifyInstance,
  context: WebhookContext,
  limits: IngestLimits,
): void {
  const budget = createByteBudget(limits.maxInFlightBytes);
  const answers = trackAnswers();
  app.addHook('onRequest', (request, reply, done) => {
    answers.track(request, reply.raw);
    done();
  });
  const withParser = (
    maxBytes: number,
    tooLarge: () => IngestError,
    routes: (scope: FastifyInstance) => void,
  ): void => {
    // Fastify loads registered plugins when the app becomes ready; nothing to await here.
    void app.register((scope, _options, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', createBodyParser({ maxBytes, tooLarge }, budget, answers.answerOf));
      routes(scope);
      done();
    });
  };
  withParser(
    limits.maxEventBytes,
    () => new EventTooLargeError(limits.maxEventBytes),
    (scope) => {
      for (const [url, type] of Object.entries(SINGLE_EVENT_ROUTES)) {
        scope.post(url, async (request) =>
          ingestSingle(context, type, { authorization: request.headers.authorization, body: request.body }),
        );
      }
    },
  );
  withParser(
    limits.maxBatchBytes,
    () => new BatchTooLargeError(limits.maxBatchBytes),
    (scope) => {
      for (const url of BATCH_ROUTES) {
        scope.post(url, async (request) =>
          ingestBatch(context, { authorization: request.headers.authorization, body: request.body }),
        );
      }
    },
  );
  withParser(
    limits.maxReplayBytes,
    () => new BatchTooLargeError(limits.maxReplayBytes),
    (scope) => registerReplayRoute(scope, context),
  );
  registerWebhookRoute(app, context, { maxBytes: limits.maxWebhookBytes, budget, answers: answers.answerOf });
}

/** `POST /v1/replay` (L-5), in a scope of its own: the batch routes' body parser, with the replay's limit. */
function registerReplayRoute(scope: FastifyInstance, context: IngestContext): void {
  const { replay } = context;
  if (replay === undefined) return;
  scope.post<{ Querystring: { source?: string; destination?: string } }>('/v1/replay', async (request) => {
    const { body } = request;
    // The request lives until its answer, after the commit: it should not keep the batch's parsed
    // objects alive meanwhile (a replay's large batches made them most of the server's memory).
    request.body = undefined;
    return ingestReplay(replay, {
      authorization: request.headers.authorization,
      body,
      sourceId: request.query.source,
      destinationId: request.query.destination,
    });
  });
}
