/** A JSON scalar as it arrives on the wire. */
export type JsonScalar = string | number | boolean | null;

/** Any JSON value; incoming data is parsed into this, never `any`. */
export type JsonValue = JsonScalar | readonly JsonValue[] | JsonObject;

/** An open JSON object (Segment traits, properties, context). */
export type JsonObject = { readonly [key: string]: JsonValue };

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
