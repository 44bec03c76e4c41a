import type { EnqueueResult, Enqueuer, IncomingEvent } from '../delivery/store/enqueue.js';
import { isJsonObject } from '../segment/json.js';
import { parseBatch } from '../segment/parse-batch.js';
import { describeIssues } from '../segment/parse-issue.js';
import { checkAdmin } from './admin-auth.js';
import { InvalidAdminRequestError } from './admin-error.js';
import { InvalidBatchError, StoreUnavailableError } from './ingest-error.js';
import type { IngestSuccess, RejectedEvent } from './ingest-response.js';
import type { IngestMetrics } from './metrics.js';
import type { Source } from './write-key-auth.js';

/** What `POST /v1/replay` needs. */
export interface ReplayContext {
  /** ADMIN_TOKEN; without it the route answers 404 `admin_disabled`. */
  readonly adminToken: string | undefined;
  /** Write key → source: a replay names its source by id, and dedupes against that source's live events. */
  readonly sources: ReadonlyMap<string, Source>;
  /** Where replayed events go: the store, through a group commit that splits its counts exactly per request. */
  readonly enqueuer: Enqueuer;
  readonly maxEventBytes: number;
  readonly metrics: IngestMetrics;
}

/** A replay request, free of HTTP framework types. */
export interface ReplayRequest {
  readonly authorization: string | undefined;
  readonly body: unknown;
  readonly sourceId: string | undefined;
  readonly destinationId: string | undefined;
}

/** The answer to a replayed batch: the batch answer plus what became of the accepted events. */
export interface ReplayAnswer extends IngestSuccess {
  readonly stored: number;
  readonly duplicates: number;
  /** Acknowledged without being queued: they cannot cause an Intercom call (C-PG-1, C-IDN-1). */
  readonly skipped: number;
}

/** The one source a replay is for: the one named, else the only one (of the destination named). */
export function pickSource(
  sources: ReadonlyMap<string, Source>,
  sourceId: string | undefined,
  destinationId: string | undefined,
): Source {
  const known = [
    ...new Map([...sources.values()].map((s) => [`${s.destinationId}/${s.sourceId}`, s])).values(),
  ];
  const fitting = known.filter(
    (s) =>
      (sourceId === undefined || s.sourceId === sourceId) &&
      (destinationId === undefined || s.destinationId === destinationId),
  );
  const [only, ...others] = fitting;
  if (only !== undefined && others.length === 0) return only;
  const list = known.map((s) => `${s.sourceId} (destination ${s.destinationId})`).join(', ');
  throw new InvalidAdminRequestError(
    only === undefined
      ? `no configured source fits; sources: ${list}`
      : `several sources fit; name one with ?source= (sources: ${list})`,
  );
}

/** Items without a messageId: a replay must be able to recognise them when it is run again (I-5). */
function withoutMessageId(body: unknown): ReadonlySet<number> {
  const batch = isJsonObject(body) ? body['batch'] : undefined;
  if (!Array.isArray(batch)) return new Set();
  const missing = new Set<number>();
  batch.forEach((item: unknown, index) => {
    const id = isJsonObject(item) ? item['messageId'] : undefined;
    if (typeof id !== 'string' || id === '') missing.add(index);
  });
  return missing;
}

/**
 * `POST /v1/replay` (L-5): a batch of historical events for one source, checked and stored as live
 * batches are (validation, I-6 timestamps with each event's own `receivedAt`, skip rules, I-5 dedupe,
 * C-RACE-1 lanes), but marked replayed, so delivery gives live traffic precedence. Not itself async:
 * the batch's parsed objects are let go of as soon as its events are handed to the store (as rows, see
 * `group-commit.ts`); only the counts wait for the commit.
 */
export function ingestReplay(context: ReplayContext, request: ReplayRequest): Promise<ReplayAnswer> {
  checkAdmin(context.adminToken, request.authorization);
  const source = pickSource(context.sources, request.sourceId, request.destinationId);
  const { accepted, rejected } = classify(context, source, request.body);
  const stored = accepted.length > 0 ? context.enqueuer.enqueue(accepted) : undefined;
  return answerOnceStored(context, source.sourceId, { accepted: accepted.length, rejected, stored });
}

function classify(
  context: ReplayContext,
  source: Source,
  body: unknown,
): { accepted: IncomingEvent[]; rejected: RejectedEvent[] } {
  const parsed = parseBatch(body, { maxEventBytes: context.maxEventBytes });
  if (!parsed.ok) throw new InvalidBatchError(describeIssues(parsed.issues));
  context.metrics.received(source.sourceId, parsed.events.length);
  const unnamed = withoutMessageId(body);
  const accepted: IncomingEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const { index, result } of parsed.events) {
    if (unnamed.has(index)) {
      rejected.push({ index, code: 'invalid_id', reason: 'messageId: a replayed event needs one' });
    } else if (result.ok) {
      accepted.push({
        ...source,
        event: result.event,
        receivedAt: result.event.receivedAt ?? new Date().toISOString(),
        replayed: true,
      });
    } else {
      rejected.push({
        index,
        code: result.issues[0]?.code ?? 'not_object',
        reason: describeIssues(result.issues),
      });
    }
  }
  for (const entry of rejected) context.metrics.rejected(entry.code, 1);
  return { accepted, rejected };
}

async function answerOnceStored(
  context: ReplayContext,
  sourceId: string,
  batch: {
    readonly accepted: number;
    readonly rejected: RejectedEvent[];
    readonly stored: Promise<EnqueueResult> | undefined;
  },
): Promise<ReplayAnswer> {
  let result: EnqueueResult = { stored: 0, duplicates: 0 };
  try {
    if (batch.stored !== undefined) result = await batch.stored;
  } catch (error: unknown) {
    throw new StoreUnavailableError({ cause: error });
  }
  context.metrics.stored(sourceId, result.stored);
  context.metrics.deduplicated(sourceId, result.duplicates);
  const skipped = batch.accepted - result.stored - result.duplicates;
  return { success: true, accepted: batch.accepted, rejected: batch.rejected, ...result, skipped };
}
