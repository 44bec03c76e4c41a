/**
 * The pure heart of device mode: one Segment event plus what the Messenger has been told so far
 * gives the Messenger calls to make and the new state (D-3, D-4, D-6 … D-11). No DOM, no clock.
 */
import type { GroupEvent, IdentifyEvent, PageEvent, SegmentEvent, TrackEvent } from '../segment/event.js';
import { buildMetadata } from '../mapping/metadata.js';
import type { MessengerCall, MessengerSettings } from './messenger-call.js';
import type { MessengerConfig } from './plugin-settings.js';
import { identityOptions, launcherOptions } from './event-options.js';
import { identifyUser, userSettings, type MessengerUser } from './user-settings.js';
import { toMessengerCompany } from './messenger-company.js';
import { stableJson } from '../mapping/stable-json.js';

/** What the Messenger has been told since the page loaded or since the last shutdown. */
export interface MessengerState {
  /** `boot` was sent; later calls update (D-3). */
  readonly booted: boolean;
  /** The identified user, to notice a different one (D-10). */
  readonly user?: MessengerUser;
  /** The settings of the last `boot`/`update` sent, as canonical JSON (D-11). */
  readonly lastSent?: string;
  /** Every setting sent since boot, merged: the page's `window.intercomSettings` (D-4). */
  readonly settings: MessengerSettings;
}

/** The state of a page where the Messenger has not been booted. */
export const INITIAL_MESSENGER_STATE: MessengerState = { booted: false, settings: {} };

/** The calls one event causes and the state after them. */
export interface MessengerStep {
  readonly calls: readonly MessengerCall[];
  readonly state: MessengerState;
}

/** Settings every `boot`/`update` carries: the app, its region and the launcher selector (D-9). */
function baseSettings(config: MessengerConfig): MessengerSettings {
  return {
    app_id: config.appId,
    ...(config.apiBase !== undefined && { api_base: config.apiBase }),
    ...(config.launcherSelector !== undefined && { custom_launcher_selector: config.launcherSelector }),
  };
}

/**
 * D-3: `boot` the first time, `update` after. D-11: an update caused by identify or group whose
 * settings equal the last ones sent is not repeated, since the Messenger throttles `update` after 20
 * calls in 30 minutes; a page always updates (`always`), because an update on every page change is how
 * the Messenger logs the visit and looks for new messages.
 */
function bootOrUpdate(
  state: MessengerState,
  settings: MessengerSettings,
  options: { readonly always: boolean },
): MessengerStep {
  const key = stableJson(settings);
  if (state.booted && !options.always && key === state.lastSent) return { calls: [], state };
  return {
    calls: [[state.booted ? 'update' : 'boot', settings]],
    state: { ...state, booted: true, lastSent: key, settings: { ...state.settings, ...settings } },
  };
}

/** D-10: a different person, judged by userId when both have one, else by email. */
function isOtherUser(previous: MessengerUser, next: MessengerUser): boolean {
  if (previous.userId !== undefined && next.userId !== undefined) return previous.userId !== next.userId;
  return previous.email !== undefined && next.email !== undefined && previous.email !== next.email;
}

/** D-4, D-5, D-6, D-10: identify boots or updates the user, shutting down a previous user first. */
function planIdentify(event: IdentifyEvent, state: MessengerState, config: MessengerConfig): MessengerStep {
  const user = identifyUser(event);
  if (user === undefined) return { calls: [], state };
  const other = state.user !== undefined && isOtherUser(state.user, user);
  const before = other ? INITIAL_MESSENGER_STATE : state;
  const settings = {
    ...userSettings(event, user),
    ...identityOptions(event),
    ...launcherOptions(event),
    ...baseSettings(config),
  };
  const step = bootOrUpdate(before, settings, { always: false });
  // Keep an email learnt earlier when this call names the same user by userId only.
  const known = other ? user : { ...state.user, ...user };
  return {
    calls: other ? [['shutdown'], ...step.calls] : step.calls,
    state: { ...step.state, user: known },
  };
}

/** D-7: group sends the company (`company_id` ← groupId) with an update. */
function planGroup(event: GroupEvent, state: MessengerState, config: MessengerConfig): MessengerStep {
  const company = toMessengerCompany(event.traits ?? {}, 'traits', event.groupId);
  if (company === undefined) return { calls: [], state };
  const settings = { company, ...launcherOptions(event), ...baseSettings(config) };
  return bootOrUpdate(state, settings, { always: false });
}

/** D-3, D-6: page boots the Messenger, or updates it so it looks for new messages. */
function planPage(event: PageEvent, state: MessengerState, config: MessengerConfig): MessengerStep {
  return bootOrUpdate(state, { ...launcherOptions(event), ...baseSettings(config) }, { always: true });
}

/** D-8: track sends `trackEvent` with C-TR-2..5 metadata. */
function planTrack(event: TrackEvent, state: MessengerState, config: MessengerConfig): MessengerStep {
  const { metadata } = buildMetadata(event.properties ?? {}, {
    richLinkProperties: config.richLinkProperties,
    maxKeys: config.maxEventMetadataKeys,
  });
  return { calls: [['trackEvent', event.event, metadata]], state };
}

/** The Messenger calls for one event, and the state after them. */
export function planMessengerCalls(
  event: SegmentEvent,
  state: MessengerState,
  config: MessengerConfig,
): MessengerStep {
  switch (event.type) {
    case 'identify':
      return planIdentify(event, state, config);
    case 'group':
      return planGroup(event, state, config);
    case 'page':
      return planPage(event, state, config);
    case 'track':
      return planTrack(event, state, config);
    case 'screen':
    case 'alias':
      // The Messenger has no notion of app screens or merged identities.
      return { calls: [], state };
  }
}

/** D-10: `analytics.reset()` shuts the Messenger down, so the next person starts clean. */
export function planReset(): MessengerStep {
  return { calls: [['shutdown']], state: INITIAL_MESSENGER_STATE };
}
