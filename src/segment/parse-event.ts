import type { SegmentCommon, SegmentEvent, SegmentEventType } from './event.js';
import { definedFields } from './defined-fields.js';
import { createEventFields, type EventFields } from './event-fields.js';
import { isJsonObject, type JsonObject, type JsonValue } from './json.js';
import type { ParseIssue } from './parse-issue.js';
import { parseDateMs, resolveTimestamp } from './timestamps.js';

export type { ParseIssue, ParseIssueCode } from './parse-issue.js';

/** Segment's event types, in the order the spec lists them. */
export const SEGMENT_EVENT_TYPES: readonly SegmentEventType[] = [
  'identify',
  'track',
  'page',
  'screen',
  'group',
  'alias',
];

/** The result of parsing one event: never thrown, always a value. */
export type ParseEventResult =
  | { readonly ok: true; readonly event: SegmentEvent }
  | { readonly ok: false; readonly issues: readonly ParseIssue[] };

/** What the caller knows about an event beyond its own fields. */
export interface ParseEventOptions {
  /** The type implied by the route (`/v1/track`); an event declaring another type is rejected. */
  readonly type?: SegmentEventType;
  /** When the server received the event (ISO-8601); overrides any `receivedAt` in the data. */
  readonly receivedAt?: string;
  /** Id for events without `messageId`; defaults to a random UUID. */
  readonly newMessageId?: () => string;
}

/** True when `value` is one of Segment's six event types. */
export function isSegmentEventType(value: unknown): value is SegmentEventType {
  return typeof value === 'string' && (SEGMENT_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Parses one Segment event from JSON data, applying Segment's rules: every event needs `userId` or
 * `anonymousId` (numbers become strings), track needs `event`, group needs `groupId`, alias needs
 * `previousId`; a missing `messageId` is generated and `timestamp` is corrected per I-6. Unknown
 * top-level fields are dropped. Never throws on data.
 */
export function parseEvent(raw: unknown, options: ParseEventOptions = {}): ParseEventResult {
  if (!isJsonObject(raw)) {
    return { ok: false, issues: [{ path: '', code: 'not_object', message: 'event must be a JSON object' }] };
  }
  const issues: ParseIssue[] = [];
  const fields = createEventFields(raw, issues);
  const type = readType(raw, options.type, issues);
  const common = readCommon(fields, raw, options, issues);
  const event = type === undefined ? undefined : readTypeFields(type, common, fields, issues);
  if (event === undefined || issues.length > 0) return { ok: false, issues };
  return { ok: true, event };
}

function readType(
  raw: JsonObject,
  routeType: SegmentEventType | undefined,
  issues: ParseIssue[],
): SegmentEventType | undefined {
  const declared = raw['type'];
  if (declared === undefined || declared === null) {
    if (routeType === undefined)
      issues.push({ path: 'type', code: 'missing_type', message: 'type is required' });
    return routeType;
  }
  if (!isSegmentEventType(declared)) {
    issues.push({
      path: 'type',
      code: 'invalid_type',
      message: `type must be one of ${SEGMENT_EVENT_TYPES.join(', ')}`,
    });
    return undefined;
  }
  if (routeType !== undefined && declared !== routeType) {
    issues.push({
      path: 'type',
      code: 'type_mismatch',
      message: `type "${declared}" does not match the ${routeType} route`,
    });
    return undefined;
  }
  return declared;
}

function readCommon(
  fields: EventFields,
  raw: JsonObject,
  options: ParseEventOptions,
  issues: ParseIssue[],
): SegmentCommon {
  const userId = fields.id('userId');
  const anonymousId = fields.id('anonymousId');
  const hadIdIssue = issues.some((issue) => issue.path === 'userId' || issue.path === 'anonymousId');
  if (userId === undefined && anonymousId === undefined && !hadIdIssue) {
    issues.push({ path: 'userId', code: 'missing_identity', message: 'userId or anonymousId is required' });
  }
  const timestamp = fields.date('timestamp');
  const originalTimestamp = fields.date('originalTimestamp');
  const sentAt = fields.date('sentAt');
  const receivedAt = options.receivedAt ?? receivedAtOf(raw) ?? new Date().toISOString();
  return {
    messageId: fields.id('messageId') ?? (options.newMessageId ?? randomMessageId)(),
    timestamp: resolveTimestamp({ timestamp, originalTimestamp, sentAt }, receivedAt),
    receivedAt,
    ...definedFields({
      userId,
      anonymousId,
      originalTimestamp,
      sentAt,
      context: fields.object('context'),
      integrations: fields.object('integrations'),
    }),
  };
}

function readTypeFields(
  type: SegmentEventType,
  common: SegmentCommon,
  fields: EventFields,
  issues: ParseIssue[],
): SegmentEvent | undefined {
  switch (type) {
    case 'identify':
      return complete(common, type, { traits: fields.object('traits') });
    case 'track': {
      // Optional fields are read before the required check so every problem is reported at once.
      const properties = fields.object('properties');
      const event = fields.text('event');
      if (event === undefined || event.trim() === '') {
        pushUnlessReported(issues, {
          path: 'event',
          code: 'missing_event',
          message: 'event must be a non-empty string',
        });
        return undefined;
      }
      return complete(common, type, { event, properties });
    }
    case 'page':
    case 'screen':
      return complete(common, type, {
        name: fields.text('name'),
        category: fields.text('category'),
        properties: fields.object('properties'),
      });
    case 'group': {
      const traits = fields.object('traits');
      const groupId = fields.id('groupId');
      if (groupId === undefined) {
        pushUnlessReported(issues, {
          path: 'groupId',
          code: 'missing_group_id',
          message: 'groupId is required',
        });
        return undefined;
      }
      return complete(common, type, { groupId, traits });
    }
    case 'alias': {
      const previousId = fields.id('previousId');
      if (previousId === undefined) {
        pushUnlessReported(issues, {
          path: 'previousId',
          code: 'missing_previous_id',
          message: 'previousId is required',
        });
        return undefined;
      }
      return complete(common, type, { previousId });
    }
  }
}

/**
 * The event of `type`: its common fields with the type's own defined fields added. Built as one object
 * key by key rather than spread from several (a hot path: once per ingested event).
 */
function complete(
  common: SegmentCommon,
  type: SegmentEventType,
  own: Readonly<Record<string, JsonValue | undefined>>,
): SegmentEvent {
  const event: Record<string, unknown> = { type };
  // for…in over objects this module built (own keys only): no key arrays allocated per event.
  for (const key in common) event[key] = common[key as keyof SegmentCommon];
  for (const key in own) {
    const value = own[key];
    if (value !== undefined) event[key] = value;
  }
  // The keys set are exactly the common fields, the type and the fields its case of readTypeFields
  // checked (required ones present), so the object is that type's event.
  return event as unknown as SegmentEvent;
}

/** A wrongly typed field already has its own issue; "is required" on top of it would only add noise. */
function pushUnlessReported(issues: ParseIssue[], issue: ParseIssue): void {
  if (!issues.some((existing) => existing.path === issue.path)) issues.push(issue);
}

function receivedAtOf(raw: JsonObject): string | undefined {
  // Replayed exports carry Segment's own receivedAt; keep it when no server time is given.
  const value = raw['receivedAt'];
  return typeof value === 'string' && parseDateMs(value) !== undefined ? value : undefined;
}

function randomMessageId(): string {
  return globalThis.crypto.randomUUID();
}
