import type { Clock } from '../clock/clock.js';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../delivery/store/enqueue.js';
import type { SegmentEventType } from '../segment/event.js';
import { type BatchItem, parseBatch } from '../segment/parse-batch.js';
import { parseEvent, type ParseEventResult } from '../segment/parse-event.js';
import { describeIssues } from '../segment/parse-issue.js';
import { InvalidBatchError, InvalidEventError, StoreUnavailableError } from './ingest-error.js';
import type { IngestSuccess, RejectedEvent } from './ingest-response.js';
import type { IngestMetrics } from './metrics.js';
import type { ReplayContext } from './replay-events.js';
import { authenticate, type Source } from './write-key-auth.js';

/** What turning requests into stored events needs. */
export interface IngestContext {
  readonly sources: ReadonlyMap<string, Source>;
  readonly enqueuer: Enqueuer;
  readonly clock: Clock;
  readonly newMessageId: (() => string) | undefined;
  readonly maxEventBytes: number;
  readonly metrics: IngestMetrics;
  /** `POST /v1/replay` (L-5), served beside the batch routes when set. */
  readonly replay?: ReplayContext;
}

/** One request as the ingestion core sees it, free of HTTP framework types. */
export interface IngestRequest {
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** Handles a single-event route (`/v1/track`, `/v1/t`, …): authenticate, parse (I-6), store (I-5). */
export async function ingestSingle(
  context: IngestContext,
  type: SegmentEventType,
  request: IngestRequest,
): Promise<IngestSuccess> {
  const source = authenticate(context.sources, request.authorization, request.body);
  context.metrics.received(source.sourceId, 1);
  const receivedAt = new Date(context.clock.now()).toISOString();
  const result = parseEvent(request.body, { type, receivedAt, ...idOption(context) });
  if (!result.ok) throw new InvalidEventError(describeIssues(result.issues));
  await store(context, source, [{ ...source, event: result.event, receivedAt }]);
  return { success: true, accepted: 1, rejected: [] };
}

/**
 * Handles `/v1/batch`, `/v1/b` and `/v1/import`: valid events are stored and invalid ones reported by
 * index (I-4); a batch with no valid event at all is refused so the client notices.
 */
export async function ingestBatch(context: IngestContext, request: IngestRequest): Promise<IngestSuccess> {
  const source = authenticate(context.sources, request.authorization, request.body);
  const receivedAt = new Date(context.clock.now()).toISOString();
  const parsed = parseBatch(request.body, {
    receivedAt,
    maxEventBytes: context.maxEventBytes,
    ...idOption(context),
  });
  if (!parsed.ok) throw new InvalidBatchError(describeIssues(parsed.issues));
  return storeBatch(context, source, parsed.events, receivedAt);
}

/**
 * The shared end of every batch (`/v1/batch`, I-7's webhooks): valid events are stored and invalid
 * ones reported by index (I-4); a batch with no valid event at all is refused so the client notices.
 */
export async function storeBatch(
  context: IngestContext,
  source: Source,
  items: readonly BatchItem[],
  receivedAt: string,
): Promise<IngestSuccess> {
  if (items.length === 0) throw new InvalidBatchError('batch must contain at least one event');
  context.metrics.received(source.sourceId, items.length);
  const accepted: IncomingEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const { index, result } of items) {
    if (result.ok) accepted.push({ ...source, event: result.event, receivedAt });
    else rejected.push(toRejected(index, result));
  }
  // Refused entries of an accepted batch are counted here; a wholly refused batch by the error handler.
  if (accepted.length > 0) for (const entry of rejected) context.metrics.rejected(entry.code, 1);
  if (accepted.length === 0) {
    throw new InvalidBatchError(
      `no valid event in the batch; first: ${rejected[0]?.reason ?? 'invalid'}`,
      rejected,
    );
  }
  await store(context, source, accepted);
  return { success: true, accepted: accepted.length, rejected };
}

async function store(
  context: IngestContext,
  source: Source,
  events: readonly IncomingEvent[],
): Promise<void> {
  let result: EnqueueResult;
  try {
    result = await context.enqueuer.enqueue(events);
  } catch (error: unknown) {
    // I-5: never acknowledge what the store did not confirm.
    throw new StoreUnavailableError({ cause: error });
  }
  context.metrics.stored(source.sourceId, result.stored);
  context.metrics.deduplicated(source.sourceId, result.duplicates);
}

function toRejected(index: number, result: Extract<ParseEventResult, { ok: false }>): RejectedEvent {
  return { index, code: result.issues[0]?.code ?? 'not_object', reason: describeIssues(result.issues) };
}

/** The `newMessageId` option of the parsers, when the context sets one. */
export function idOption(context: IngestContext): { newMessageId?: () => string } {
  return context.newMessageId === undefined ? {} : { newMessageId: context.newMessageId };
}
