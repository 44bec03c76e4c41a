import { InvalidReceivedAtError } from './segment-error.js';

/** The time fields of one event that decide its corrected `timestamp` (I-6). */
export interface EventTimes {
  readonly timestamp?: string | undefined;
  readonly originalTimestamp?: string | undefined;
  readonly sentAt?: string | undefined;
}

/** Milliseconds since the epoch of an ISO-8601 (or `Date.parse`-able) string, or undefined when it is not a date. */
export function parseDateMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The event time Segment would record (I-6): a client's `timestamp` is kept; else `originalTimestamp`
 * corrected for the client's clock skew (`receivedAt - sentAt`); else `receivedAt`. Dates that do not
 * parse count as absent. Always returns a normalised UTC ISO-8601 string.
 */
export function resolveTimestamp(times: EventTimes, receivedAt: string): string {
  const receivedMs = parseDateMs(receivedAt);
  if (receivedMs === undefined) {
    // receivedAt comes from the server's own clock; an unparsable one is a programming error upstream.
    throw new InvalidReceivedAtError();
  }
  const timestampMs = parseDateMs(times.timestamp);
  if (timestampMs !== undefined) return new Date(timestampMs).toISOString();
  const originalMs = parseDateMs(times.originalTimestamp);
  if (originalMs === undefined) return new Date(receivedMs).toISOString();
  const sentMs = parseDateMs(times.sentAt);
  // Without sentAt the skew is unknown: the client's own clock is the best estimate we have.
  const skewMs = sentMs === undefined ? 0 : receivedMs - sentMs;
  return new Date(originalMs + skewMs).toISOString();
}
