/**
 * The bridge from a Segment library's in-memory event (analytics.js, analytics-react-native) to the
 * JSON Segment event the device-mode planners read. Pure: no DOM, no Node built-ins.
 */
import { isJsonObject } from '../segment/json.js';
import type { SegmentEvent } from '../segment/event.js';

/** True when a JSON value has the shape the planner relies on for its `type`. */
function isSegmentEvent(value: unknown): value is SegmentEvent {
  if (!isJsonObject(value)) return false;
  const type = value['type'];
  if (type === 'track') return typeof value['event'] === 'string';
  if (type === 'group') return typeof value['groupId'] === 'string';
  return type === 'identify' || type === 'page' || type === 'screen' || type === 'alias';
}

/**
 * The event as Segment JSON (its `Date` timestamp becomes an ISO string, as on the wire), or
 * `undefined` for an event the planner cannot read. A `null` userId (anonymous) is left out.
 */
export function toSegmentEvent(event: unknown): SegmentEvent | undefined {
  const json: unknown = JSON.parse(
    JSON.stringify(event ?? null, (key, value: unknown) =>
      key === 'userId' && value === null ? undefined : value,
    ),
  );
  return isSegmentEvent(json) ? json : undefined;
}
