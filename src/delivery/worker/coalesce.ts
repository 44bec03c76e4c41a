import type { GroupEvent, IdentifyEvent, SegmentEvent } from '../../segment/event.js';
import type { JsonObject } from '../../segment/json.js';

/** Most jobs merged into one delivery, so one bad value cannot hold back an unbounded run. */
export const MAX_COALESCED_JOBS = 50;

/** Events that can be merged into the head of their lane: identify, or group of the same company. */
export type CoalescibleEvent = IdentifyEvent | GroupEvent;

/** Whether `head` is an event that later adjacent events of its lane may be merged into. */
export function isCoalescible(head: SegmentEvent): head is CoalescibleEvent {
  return head.type === 'group' || (head.type === 'identify' && !namesCompanies(head));
}

/**
 * An identify naming companies (C-ID-9/10/11) upserts and attaches them; merging two of them would keep
 * only the later company, so such identifies are delivered on their own.
 */
function namesCompanies(event: IdentifyEvent): boolean {
  return event.traits?.['company'] !== undefined || event.traits?.['companies'] !== undefined;
}

/**
 * Whether `next` may be merged into `head` (`isBulkAPIEnabled`): identifies of one user, or group
 * calls of one user for one company. Anything else ends the run, which keeps order across event types.
 */
export function canCoalesce(head: CoalescibleEvent, next: SegmentEvent): boolean {
  if (head.type === 'identify') return next.type === 'identify' && !namesCompanies(next);
  return next.type === 'group' && next.groupId === head.groupId;
}

function mergeObjects(a: JsonObject | undefined, b: JsonObject | undefined): JsonObject | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { ...a, ...b };
}

/**
 * Merges adjacent events of one lane into one, in order: traits and integrations merged with later values
 * winning, everything else (timestamp, context, ids) from the latest event, so the result is what
 * Intercom would hold after delivering them one by one (issue #5, API frugality).
 */
export function coalesceEvents<E extends CoalescibleEvent>(events: readonly [E, ...E[]]): E {
  let merged: E = events[0];
  for (const next of events.slice(1)) {
    const traits = mergeObjects(merged.traits, next.traits);
    const integrations = mergeObjects(merged.integrations, next.integrations);
    const userId = next.userId ?? merged.userId;
    const anonymousId = next.anonymousId ?? merged.anonymousId;
    merged = {
      ...next,
      ...(traits === undefined ? {} : { traits }),
      ...(integrations === undefined ? {} : { integrations }),
      ...(userId === undefined ? {} : { userId }),
      ...(anonymousId === undefined ? {} : { anonymousId }),
    };
  }
  return merged;
}
