import type { MetadataValue, AttributeValue } from '../intercom/operations.js';
import { type BodyObject, isBodyObject, secondsField, stringField } from './body-fields.js';
import { findEventContact } from './contact-store.js';
import { type Result, ok, fail } from './api-result.js';
import { type SandboxEvent, type Store, nextId, nowSeconds } from './store.js';

/** The error code of a new event name past the limit (Intercom documents the refusal, not its code). */
export const EVENT_NAME_LIMIT_CODE = 'event_name_limit_exceeded';

/** Intercom treats event names case-insensitively and turns `.` and `$` into hyphens (intercom-api.md §4.2). */
export function normaliseEventName(name: string): string {
  return name.replace(/[.$]/g, '-');
}

/** What `POST /events` did: stored the event, or dropped it as a duplicate (both answer 202). */
export type EventOutcome =
  { readonly kind: 'stored'; readonly event: SandboxEvent } | { readonly kind: 'duplicate' };

function metadataOf(
  value: unknown,
  limit: number,
): { metadata: Record<string, MetadataValue | AttributeValue>; dropped: string[] } {
  const metadata: Record<string, MetadataValue | AttributeValue> = {};
  const dropped: string[] = [];
  if (!isBodyObject(value)) return { metadata, dropped };
  for (const [key, v] of Object.entries(value)) {
    // Intercom keeps the first keys in send order and ignores the rest (§4.2; C-TR-4).
    if (Object.keys(metadata).length >= limit) dropped.push(key);
    else metadata[key] = structuredClone(v) as MetadataValue | AttributeValue;
  }
  return { metadata, dropped };
}

/**
 * `POST /events`: 404 "User Not Found" for an unknown user; duplicates of (contact, name, created_at)
 * are accepted and dropped; a new name past the event-name limit is refused (C-TR-6).
 */
export function submitEvent(store: Store, body: BodyObject): Result<EventOutcome> {
  const rawName = stringField(body, 'event_name');
  if (rawName === undefined || rawName.trim() === '')
    return fail(400, 'parameter_invalid', 'event_name is required');
  const ids = {
    id: stringField(body, 'id'),
    userId: stringField(body, 'user_id'),
    email: stringField(body, 'email'),
  };
  if (ids.id === undefined && ids.userId === undefined && ids.email === undefined) {
    return fail(400, 'parameter_invalid', 'One of id, user_id or email is required');
  }
  const contact = findEventContact(store, {
    ...(ids.id === undefined ? {} : { id: ids.id }),
    ...(ids.userId === undefined ? {} : { userId: ids.userId }),
    ...(ids.email === undefined ? {} : { email: ids.email }),
  });
  if (contact === undefined) return fail(404, 'not_found', 'User Not Found');
  const eventName = normaliseEventName(rawName);
  const nameKey = eventName.toLowerCase();
  if (!store.eventNames.has(nameKey) && store.eventNames.size >= store.settings.eventNameLimit) {
    return fail(
      400,
      EVENT_NAME_LIMIT_CODE,
      `The workspace already has ${store.settings.eventNameLimit} active event names; '${eventName}' is new and was not stored. Archive unused events to make room.`,
    );
  }
  // A missing or non-numeric created_at is recorded as a violation; the event still gets a time.
  const createdAt = secondsField(body, 'created_at') ?? nowSeconds(store);
  const dedupeKey = `${contact.id}\n${nameKey}\n${createdAt}`;
  if (store.eventKeys.has(dedupeKey)) return ok({ kind: 'duplicate' });
  const { metadata, dropped } = metadataOf(body['metadata'], store.settings.metadataKeyLimit);
  const event: SandboxEvent = {
    id: nextId(store, 'event'),
    event_name: eventName,
    created_at: createdAt,
    contact_id: contact.id,
    user_id: contact.external_id,
    email: contact.email,
    metadata,
    dropped_metadata_keys: dropped,
    received_at: nowSeconds(store),
  };
  store.eventKeys.add(dedupeKey);
  store.eventNames.add(nameKey);
  store.events.push(event);
  return ok({ kind: 'stored', event: structuredClone(event) });
}
