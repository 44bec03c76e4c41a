/**
 * Per-event Intercom options: analytics.js puts them in `integrations.Intercom` (the `integrations`
 * option) or in `context.Intercom` (any other option key, e.g. `{Intercom: {user_hash}}`, D-5).
 */
import type { JsonValue } from '../segment/json.js';
import type { SegmentEvent } from '../segment/event.js';
import type { MessengerSettings } from './messenger-call.js';
import { intercomOption } from '../mapping/intercom-option.js';

/** D-6: `hide_default_launcher` when the event asks for it with a real boolean (page, identify, group). */
export function launcherOptions(event: SegmentEvent): MessengerSettings {
  const hide = intercomOption(event, ['hideDefaultLauncher']);
  return typeof hide === 'boolean' ? { hide_default_launcher: hide } : {};
}

/** D-5: identity verification, by `user_hash` (HMAC) or `intercom_user_jwt` (JWT). */
export function identityOptions(event: SegmentEvent): MessengerSettings {
  const settings: Record<string, JsonValue> = {};
  const hash = intercomOption(event, ['user_hash', 'userHash']);
  if (typeof hash === 'string') settings['user_hash'] = hash;
  const jwt = intercomOption(event, ['intercomUserJwt']);
  if (typeof jwt === 'string') settings['intercom_user_jwt'] = jwt;
  return settings;
}
