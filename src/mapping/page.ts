/** page, screen and alias: accepted and counted, but no Intercom call in cloud mode (C-PG-1). */
import type { AliasEvent, PageEvent, ScreenEvent } from '../segment/event.js';
import type { Plan } from '../intercom/operations.js';

/** C-PG-1: server-side page and screen views have no effect on Intercom (the Messenger tracks pages itself). */
export function mapPage(event: PageEvent | ScreenEvent): Plan {
  return {
    kind: 'skip',
    reason: 'no_server_effect',
    detail: `${event.type} has no effect on Intercom in cloud mode`,
  };
}

/** C-PG-1: alias is not supported by this destination yet. */
export function mapAlias(_event: AliasEvent): Plan {
  return {
    kind: 'skip',
    reason: 'unsupported_type',
    detail: 'alias is not supported by the Intercom destination',
  };
}
