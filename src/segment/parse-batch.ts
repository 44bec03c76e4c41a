import { definedFields } from './defined-fields.js';
import { createEventFields } from './event-fields.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import { fitsJsonBytes, jsonByteLength } from './json-byte-size.js';
import { parseEvent, type ParseEventOptions, type ParseEventResult } from './parse-event.js';
import type { ParseIssue } from './parse-issue.js';

/** The batch-level fields of a `/v1/batch` body. */
export interface BatchEnvelope {
  readonly writeKey?: string;
  readonly sentAt?: string;
  readonly context?: JsonObject;
  readonly integrations?: JsonObject;
}

/** One batch item and what parsing it gave. */
export interface BatchItem {
  /** Position in the `batch` array, as clients see it. */
  readonly index: number;
  readonly result: ParseEventResult;
}

/** The result of parsing a batch body: envelope problems fail the whole batch, event problems only their event. */
export type ParseBatchResult =
  | { readonly ok: true; readonly envelope: BatchEnvelope; readonly events: readonly BatchItem[] }
  | { readonly ok: false; readonly issues: readonly ParseIssue[] };

/** Options for `parseBatch`: those of `parseEvent` (minus the route type) plus the per-event size limit. */
export interface ParseBatchOptions extends Omit<ParseEventOptions, 'type'> {
  /** Items whose JSON is larger than this many UTF-8 bytes are rejected (I-3; Segment's is 32 KB). */
  readonly maxEventBytes?: number;
}

/**
 * Parses a Segment batch body `{batch, writeKey?, sentAt?, context?, integrations?}`. Batch-level
 * `context` and `integrations` are merged under each event's own (the event's keys win) and the
 * batch `sentAt` applies to events without one, as Segment does. Never throws on data.
 */
export function parseBatch(raw: unknown, options: ParseBatchOptions = {}): ParseBatchResult {
  if (!isJsonObject(raw)) {
    return { ok: false, issues: [{ path: '', code: 'not_object', message: 'body must be a JSON object' }] };
  }
  const issues: ParseIssue[] = [];
  const fields = createEventFields(raw, issues);
  const envelope: BatchEnvelope = definedFields({
    writeKey: fields.text('writeKey'),
    sentAt: fields.date('sentAt'),
    context: fields.object('context'),
    integrations: fields.object('integrations'),
  });
  const batch = raw['batch'];
  if (!Array.isArray(batch)) {
    issues.push({ path: 'batch', code: 'invalid_batch', message: 'batch must be an array of events' });
  }
  if (issues.length > 0 || !Array.isArray(batch)) return { ok: false, issues };
  const items = batch as readonly JsonValue[];
  const { maxEventBytes, ...eventOptions } = options;
  const events = items.map((item, index): BatchItem => {
    // Most events are far under the limit, which a bound shows without serialising them.
    if (maxEventBytes !== undefined && !fitsJsonBytes(item, maxEventBytes)) {
      const bytes = jsonByteLength(item);
      if (bytes > maxEventBytes) return { index, result: tooLarge(bytes, maxEventBytes) };
    }
    return { index, result: parseEvent(withEnvelope(item, envelope), eventOptions) };
  });
  return { ok: true, envelope, events };
}

function withEnvelope(item: JsonValue, envelope: BatchEnvelope): JsonValue {
  // A malformed item is passed on untouched so parseEvent reports its own problem.
  if (!isJsonObject(item)) return item;
  const merged: Record<string, JsonValue> = { ...item };
  const sentAt = item['sentAt'] ?? envelope.sentAt;
  if (sentAt !== undefined) merged['sentAt'] = sentAt;
  for (const key of ['context', 'integrations'] as const) {
    const shared = envelope[key];
    const own = item[key];
    if (shared !== undefined && (own === undefined || own === null)) merged[key] = shared;
    else if (shared !== undefined && isJsonObject(own)) merged[key] = { ...shared, ...own };
  }
  return merged;
}

function tooLarge(bytes: number, maxEventBytes: number): ParseEventResult {
  const limitKb = Math.round(maxEventBytes / 1024);
  return {
    ok: false,
    issues: [
      {
        path: '',
        code: 'event_too_large',
        message: `event is ${bytes} bytes, over the ${limitKb} KB per-event limit`,
      },
    ],
  };
}
