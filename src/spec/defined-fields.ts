/** Drops undefined values so optional fields are absent rather than `undefined` (exactOptionalPropertyTypes). */
export function definedFields<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  // The filter removes exactly the undefined values the mapped type excludes.
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
