/** Writing keys that come from incoming data into plain objects without touching their prototype. */

/**
 * Sets `target[key] = value` as an own, enumerable property. Plain assignment of a `"__proto__"` key
 * would replace the object's prototype instead; JSON.parse gives such keys as ordinary data.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
