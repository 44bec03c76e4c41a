/** A shared allowance of bytes, taken while request bodies are buffered and given back after. */
export interface ByteBudget {
  /** Takes `bytes` if they fit; false (nothing taken) when they do not. */
  take(bytes: number): boolean;
  release(bytes: number): void;
  /** Bytes currently taken. */
  inUse(): number;
}

/**
 * Creates a budget of `maxBytes`. Each request body is capped on its own (I-3), but many slow uploads
 * at once could still hold gigabytes; the budget bounds their sum, so memory stays bounded whatever
 * the number of connections.
 */
export function createByteBudget(maxBytes: number): ByteBudget {
  let used = 0;
  return {
    take(bytes) {
      if (used + bytes > maxBytes) return false;
      used += bytes;
      return true;
    },
    release(bytes) {
      used = Math.max(0, used - bytes);
    },
    inUse: () => used,
  };
}
