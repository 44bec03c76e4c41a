import { parseBatch } from '../segment/parse-batch.js';
import { describeIssues } from '../segment/parse-issue.js';
import { parseJsonBody } from './body-parser.js';
import { type IngestContext, idOption, storeBatch } from './ingest-events.js';
import { InvalidBatchError, InvalidSignatureError, TooManyEventsError } from './ingest-error.js';
import type { IngestSuccess } from './ingest-response.js';
import { findSignedSource, type SignatureHeaders, type WebhookSource } from './webhook-signature.js';

/** What the webhook route needs beyond the Tracking API's context (I-7). */
export interface WebhookContext extends IngestContext {
  /** The sources that accept webhooks; a source without a secret is not among them. */
  readonly webhookSources: readonly WebhookSource[];
  /** Most events one request may carry. */
  readonly maxWebhookEvents: number;
}

/** One webhook request: its signature headers and its body's bytes, unparsed. */
export interface WebhookRequest {
  readonly headers: SignatureHeaders;
  readonly body: Buffer;
}

/**
 * I-7 `POST /v1/webhook`: what Segment's Webhooks destination sends, one event object or an array of
 * them. The signature is checked on the raw bytes before anything parses them (401 and nothing stored
 * otherwise); then each event goes the Tracking API's way: validation, I-4 partial acceptance, I-5
 * dedupe by messageId within the source, one lane per user.
 */
export async function ingestWebhook(
  context: WebhookContext,
  request: WebhookRequest,
): Promise<IngestSuccess> {
  const signed = findSignedSource(context.webhookSources, request.body, request.headers);
  if (signed === undefined) throw new InvalidSignatureError();
  // Only the source's names travel with the events: the secret stays here.
  const source = { sourceId: signed.sourceId, destinationId: signed.destinationId };
  const json = parseJsonBody(request.body);
  const items: readonly unknown[] = Array.isArray(json) ? json : json === undefined ? [] : [json];
  if (items.length > context.maxWebhookEvents) throw new TooManyEventsError(context.maxWebhookEvents);
  const receivedAt = new Date(context.clock.now()).toISOString();
  const parsed = parseBatch(
    { batch: items },
    { receivedAt, maxEventBytes: context.maxEventBytes, ...idOption(context) },
  );
  if (!parsed.ok) throw new InvalidBatchError(describeIssues(parsed.issues));
  return storeBatch(context, source, parsed.events, receivedAt);
}
