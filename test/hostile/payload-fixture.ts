/** Builders of ingestion payloads at and around the limits (I-3), for the hostile-input tests. */

/** One KiB. */
export const KB = 1024;

/** A track event of user `u1`, with `extra` fields. */
export const track = (extra: object = {}): object => ({
  type: 'track',
  userId: 'u1',
  event: 'Clicked',
  ...extra,
});

/** The JSON of a batch of these events. */
export const batchOf = (...events: unknown[]): string => JSON.stringify({ batch: events });

/** `n` objects nested inside each other, innermost holding 1. */
export const nested = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** A batch whose JSON is exactly `bytes` long: 20 track events of 24 KB and one padded to fit. */
export function batchOfBytes(bytes: number): string {
  const filler = Array.from({ length: 20 }, () => track({ properties: { pad: 'p'.repeat(24 * KB) } }));
  const base = batchOf(...filler, track({ properties: { pad: '' } }));
  return batchOf(...filler, track({ properties: { pad: 'p'.repeat(bytes - base.length) } }));
}

/** A single track event whose JSON is exactly `bytes` long. */
export function eventOfBytes(bytes: number): string {
  const base = JSON.stringify({ userId: 'u1', event: 'Clicked', properties: { pad: '' } });
  return JSON.stringify({
    userId: 'u1',
    event: 'Clicked',
    properties: { pad: 'p'.repeat(bytes - base.length) },
  });
}

/** Raw bytes from strings (UTF-8) and byte arrays, in order. */
export const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

/** `n` spaces. */
export const zeros = (n: number): Buffer => Buffer.alloc(n, 0x20);
