/**
 * The Messenger calls device mode makes, as data: each one is the argument list of one
 * `window.Intercom(...)` call, so the pure planner can be tested without a browser.
 */
import type { JsonValue } from '../segment/json.js';
import type { MetadataResult } from '../mapping/metadata.js';

/** Settings passed to `Intercom('boot' | 'update', settings)` and mirrored in `window.intercomSettings`. */
export type MessengerSettings = Readonly<Record<string, JsonValue>>;

/** Event metadata passed to `Intercom('trackEvent', name, metadata)` (C-TR-2..5). */
export type MessengerMetadata = MetadataResult['metadata'];

/** One Messenger API call, as the arguments of `window.Intercom(...call)`. */
export type MessengerCall =
  | readonly ['boot', MessengerSettings]
  | readonly ['update', MessengerSettings]
  | readonly ['trackEvent', string, MessengerMetadata]
  | readonly ['shutdown'];
