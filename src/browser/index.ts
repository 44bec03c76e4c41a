/** Device mode: the `Intercom` destination plugin for Segment's analytics-next, and its pure planner. */
export { intercomPlugin } from './plugin.js';
export { DEFAULT_ACTIVATOR, resolveMessengerConfig } from './plugin-settings.js';
export type { IntercomPluginSettings, IntercomRegion, MessengerConfig } from './plugin-settings.js';
export { planMessengerCalls, planReset, INITIAL_MESSENGER_STATE } from './plan-messenger-calls.js';
export type { MessengerState, MessengerStep } from './plan-messenger-calls.js';
export type { MessengerCall, MessengerSettings, MessengerMetadata } from './messenger-call.js';
export { createWindowHost } from './messenger-host.js';
export type { MessengerHost } from './messenger-host.js';
