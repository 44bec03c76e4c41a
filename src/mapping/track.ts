/**
 * track → data event (C-TR-1..5, C-TR-7).
 *
 * | Intercom field (`POST /events`) | from                                                        | rule       |
 * |---------------------------------|-------------------------------------------------------------|------------|
 * | `event_name`                    | `event`                                                     | C-TR-1     |
 * | `created_at`                    | `timestamp` → Unix seconds                                  | C-TR-1     |
 * | `user_id`                       | `userId`                                                    | C-IDN-1    |
 * | `email`                         | `properties.email` ?? `context.traits.email`, without userId | C-IDN-1   |
 * | `metadata`                      | `properties` (price, rich links, money, scalars; key budget) | C-TR-2..5, C-TR-7 |
 */
import type { TrackEvent } from '../segment/event.js';
import type { JsonObject } from '../segment/json.js';
import type { EventFields, MappingWarning, Plan } from '../intercom/operations.js';
import type { MappingSettings } from './settings.js';
import { toUnixSeconds } from './dates.js';
import { buildMetadata, priceFromProperties, type MetadataResult } from './metadata.js';
import { contactIdentity, nonBlank } from './identity.js';
import { withContactRole } from './leads.js';
import { objectOrEmpty, pathValue } from './event-context.js';

/** Maps a track to one `submit_event`, or skips it without a user, a name or a usable timestamp. */
export function mapTrack(event: TrackEvent, settings: MappingSettings): Plan {
  const properties = objectOrEmpty(event.properties);
  const named = contactIdentity(event.userId, [
    properties['email'],
    pathValue(event.context, ['traits', 'email']),
  ]);
  if (named === undefined) {
    return {
      kind: 'skip',
      reason: 'no_identity',
      detail: 'track has neither userId nor properties.email nor context.traits.email',
    };
  }
  // C-IDN-5: a lead's event is sent by its Intercom id; the email stays for translate and the lookup.
  const identity = withContactRole(named, settings);
  const eventName = nonBlank(event.event);
  if (eventName === undefined)
    return { kind: 'skip', reason: 'invalid_event', detail: 'track has no event name' };
  const createdAt = toUnixSeconds(event.timestamp);
  if (createdAt === undefined)
    return { kind: 'skip', reason: 'invalid_event', detail: 'track timestamp is not a date' };

  const built = buildMetadata(properties, {
    richLinkProperties: settings.richLinkProperties,
    maxKeys: settings.maxEventMetadataKeys,
  });
  const warnings = metadataWarnings(properties, built, settings.maxEventMetadataKeys);
  // C-TR-1: Intercom takes one contact key per event; external_id is the stable one.
  const fields: { -readonly [K in keyof EventFields]: EventFields[K] } = {
    event_name: eventName,
    created_at: createdAt,
  };
  if (identity.externalId !== undefined) fields.user_id = identity.externalId;
  else if (identity.email !== undefined) fields.email = identity.email;
  if (Object.keys(built.metadata).length > 0) fields.metadata = built.metadata;
  return { kind: 'deliver', operations: [{ kind: 'submit_event', identity, event: fields }], warnings };
}

/**
 * C-TR-2..4, C-TR-7: one warning for every property the metadata leaves out, so none disappears
 * unseen (a `null` carries nothing). Kept out of `buildMetadata`, which the device-mode bundles share.
 */
function metadataWarnings(properties: JsonObject, built: MetadataResult, maxKeys: number): MappingWarning[] {
  const warnings: MappingWarning[] = built.nested.map((key) => ({
    code: 'dropped_nested_value',
    field: `properties.${key}`,
    detail: 'objects and arrays cannot be event metadata',
  }));
  for (const key in properties) {
    const value = properties[key];
    if (!Object.hasOwn(properties, key) || typeof value !== 'number' || Number.isFinite(value)) continue;
    warnings.push({
      code: 'dropped_invalid_value',
      field: `properties.${key}`,
      detail: 'not a finite number',
    });
  }
  if (Object.hasOwn(properties, 'price') && priceFromProperties(properties) !== undefined) {
    warnings.push({
      code: 'replaced_by_price',
      field: 'properties.price',
      detail: 'the price computed from revenue takes this key',
    });
  }
  if (built.dropped.length > 0) {
    warnings.push({
      code: 'dropped_metadata_keys',
      field: 'properties',
      detail: `over the ${maxKeys}-key metadata limit: ${built.dropped.join(', ')}`,
    });
  }
  return warnings;
}
