/** Reading Segment's `context` and `integrations` objects defensively (they are open JSON). */
import type { JsonObject, JsonValue } from '../segment/json.js';
import { isJsonObject } from '../segment/json.js';

/** `value` when it is a JSON object, else an empty object: absent and malformed look the same. */
export function objectOrEmpty(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** Follows `path` through nested objects; `undefined` as soon as a step is missing or not an object. */
export function pathValue(root: JsonObject | undefined, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** C-ID-6 / C-GR-3: the user counts as active unless `context.active` is exactly `false`. */
export function isActive(context: JsonObject | undefined): boolean {
  return pathValue(context, ['active']) !== false;
}
