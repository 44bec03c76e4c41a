/**
 * Per-event Intercom options, read the same way by both device-mode plugins: Segment's libraries
 * carry them in `integrations.Intercom` (the `integrations` option) or in `context.Intercom` (e.g.
 * analytics.js's `{Intercom: {user_hash}}` option key, D-5, M-5).
 */
import { isJsonObject, type JsonValue } from '../segment/json.js';
import type { SegmentEvent } from '../segment/event.js';

/** Reads one option, `integrations.Intercom` first, then `context.Intercom`, trying each name in turn. */
export function intercomOption(event: SegmentEvent, names: readonly string[]): JsonValue | undefined {
  const sources = [event.integrations?.['Intercom'], event.context?.['Intercom']];
  for (const source of sources) {
    if (!isJsonObject(source)) continue;
    for (const name of names) {
      const value = source[name];
      if (value !== undefined && value !== null) return value;
    }
  }
  return undefined;
}
