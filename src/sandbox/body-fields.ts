/** A JSON object from a request body, read field by field. */
export type BodyObject = Readonly<Record<string, unknown>>;

/** True for a plain object (not null, not an array). */
export function isBodyObject(value: unknown): value is BodyObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, or an empty object when it is anything else (the validator reports that). */
export function bodyObject(value: unknown): BodyObject {
  return isBodyObject(value) ? value : {};
}

/** A string field, or undefined when absent or of another type. */
export function stringField(body: BodyObject, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

/** A numeric field, or undefined when absent or of another type. */
export function numberField(body: BodyObject, key: string): number | undefined {
  const v = body[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A boolean field, or undefined when absent or of another type. */
export function booleanField(body: BodyObject, key: string): boolean | undefined {
  const v = body[key];
  return typeof v === 'boolean' ? v : undefined;
}

/** A Unix-seconds date field: numbers are truncated; anything else (ISO strings) is ignored and reported by date-checks. */
export function secondsField(body: BodyObject, key: string): number | null | undefined {
  const v = body[key];
  if (v === null) return null;
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : undefined;
}
