/** The contact name rule (C-ID-2), shared by cloud mode and the browser plugin (DOM/Node-free). */
import type { JsonObject, JsonValue } from '../segment/json.js';

function nonEmptyString(value: JsonValue | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * C-ID-2: `traits.name`, else `firstName + " " + lastName` when both exist, else whichever exists;
 * only non-blank strings count.
 */
export function fullName(traits: JsonObject): string | undefined {
  const name = nonEmptyString(traits['name']);
  if (name !== undefined) return name;
  const first = nonEmptyString(traits['firstName']);
  const last = nonEmptyString(traits['lastName']);
  if (first !== undefined && last !== undefined) return `${first} ${last}`;
  return first ?? last;
}
