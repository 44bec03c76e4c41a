/** The cloud-mode mapping: one Segment event → the Intercom operations it causes, or a skip reason. */
import type { SegmentEvent } from '../segment/event.js';
import type { Plan } from '../intercom/operations.js';
import type { MappingSettings } from './settings.js';
import { mapIdentify } from './identify.js';
import { mapTrack } from './track.js';
import { mapGroup } from './group.js';
import { mapAlias, mapPage } from './page.js';

/**
 * Maps one event to a plan. Pure: no I/O, no clock; never throws on data (every BEHAVIOR.md C-* rule
 * that concerns mapping is implemented by the per-type files this dispatches to).
 */
export function mapEvent(event: SegmentEvent, settings: MappingSettings): Plan {
  switch (event.type) {
    case 'identify':
      return mapIdentify(event, settings);
    case 'track':
      return mapTrack(event, settings);
    case 'group':
      return mapGroup(event, settings);
    case 'page':
    case 'screen':
      return mapPage(event);
    case 'alias':
      return mapAlias(event);
    default:
      return unknownType(event);
  }
}

/** Parsed events always have a known type; this keeps a malformed object from throwing. */
function unknownType(event: never): Plan {
  const type: unknown = (event as { type?: unknown }).type;
  return {
    kind: 'skip',
    reason: 'invalid_event',
    detail: `unknown event type ${JSON.stringify(type) ?? 'undefined'}`,
  };
}
