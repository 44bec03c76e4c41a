import type { SegmentEvent } from './event.js';
import { isJsonObject, type JsonObject } from './json.js';

/**
 * The user part of an event's delivery lane (ARCHITECTURE.md decision 4, C-RACE-1): `userId`, else an
 * email (identify `traits.email`, track/page/screen `properties.email`, any type's `context.traits.email`),
 * else `anonymousId`. Prefixed (`u:`, `e:`, `a:`) so a userId and an email with the same text never share
 * a lane; emails are trimmed and lower-cased because Intercom treats them case-insensitively.
 * Undefined when the event has none of them.
 */
export function orderingKey(event: SegmentEvent): string | undefined {
  if (event.userId !== undefined && event.userId !== '') return `u:${event.userId}`;
  const email = emailOf(event);
  if (email !== undefined) return emailOrderingKey(email);
  if (event.anonymousId !== undefined && event.anonymousId !== '') return `a:${event.anonymousId}`;
  return undefined;
}

/** The ordering key of the events named by this email alone (C-IDN-5 waits for their lane); `e:` + the email trimmed and lower-cased. */
export function emailOrderingKey(email: string): string {
  return `e:${email.trim().toLowerCase()}`;
}

function emailOf(event: SegmentEvent): string | undefined {
  const contextTraits = event.context?.['traits'];
  return emailIn(ownEmailSource(event)) ?? emailIn(isJsonObject(contextTraits) ? contextTraits : undefined);
}

/** The event's own email field; a group's traits describe the company, so their email is not the user's (C-IDN-1). */
function ownEmailSource(event: SegmentEvent): JsonObject | undefined {
  switch (event.type) {
    case 'identify':
      return event.traits;
    case 'track':
    case 'page':
    case 'screen':
      return event.properties;
    case 'group':
    case 'alias':
      return undefined;
  }
}

function emailIn(source: JsonObject | undefined): string | undefined {
  const value = source?.['email'];
  if (typeof value !== 'string') return undefined;
  const email = value.trim().toLowerCase();
  return email === '' ? undefined : email;
}
