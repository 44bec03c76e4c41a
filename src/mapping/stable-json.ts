/** A canonical JSON text for comparing what device mode sent last (D-11, M-10). */
import { isJsonObject, type JsonValue } from '../segment/json.js';

/** JSON text with object keys sorted at every level, so equal settings give equal text whatever their key order. */
export function stableJson(value: JsonValue): string {
  if (isJsonObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson(value[key] ?? null)}`);
    return `{${entries.join(',')}}`;
  }
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(stableJson).join(',')}]`;
  return JSON.stringify(value);
}
