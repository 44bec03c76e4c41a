import type { SegmentEvent } from '../../segment/event.js';
import { orderingKey } from '../../segment/ordering-key.js';

/**
 * The lane of an event inside its destination (C-RACE-1): the spec's ordering key (userId, else email,
 * else anonymousId). An event with no identity at all gets a lane of its own (`m:` + messageId), so it
 * can never hold anything back; the mapping skips it with `no_identity` anyway.
 */
export function laneKeyOf(event: SegmentEvent): string {
  return orderingKey(event) ?? `m:${event.messageId}`;
}
