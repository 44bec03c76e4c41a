import type { FastifyInstance } from 'fastify';
import { type AnswerOf, createRawBodyParser } from './body-parser.js';
import type { ByteBudget } from './byte-budget.js';
import { BatchTooLargeError } from './ingest-error.js';
import { ingestWebhook, type WebhookContext } from './webhook-ingest.js';
import { SIGNATURE_HEADERS } from './webhook-signature.js';

/** I-7: the route Segment's Webhooks destination posts to. */
export const WEBHOOK_ROUTE = '/v1/webhook';

/**
 * Registers `POST /v1/webhook` in a scope of its own: its body parser keeps the bytes (the signature
 * is checked on them, I-7) and caps them at `maxBytes` after decompression (413 past it), taking from
 * the same in-flight budget as the Tracking API's routes.
 */
export function registerWebhookRoute(
  app: FastifyInstance,
  context: WebhookContext,
  limit: { readonly maxBytes: number; readonly budget: ByteBudget; readonly answers: AnswerOf },
): void {
  void app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      createRawBodyParser(
        { maxBytes: limit.maxBytes, tooLarge: () => new BatchTooLargeError(limit.maxBytes) },
        limit.budget,
        limit.answers,
      ),
    );
    scope.post(WEBHOOK_ROUTE, async (request) => {
      const headers = Object.fromEntries(SIGNATURE_HEADERS.map((name) => [name, request.headers[name]]));
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return ingestWebhook(context, { headers, body });
    });
    done();
  });
}
