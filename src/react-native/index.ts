/** Mobile device mode: the `Intercom` destination plugin for Segment's React Native library, and its pure planner. */
export { IntercomPlugin } from './plugin.js';
export type { IntercomPluginOptions, MobileConfig } from './plugin-options.js';
export { DEFAULT_MOBILE_CONFIG, resolveMobileConfig } from './plugin-options.js';
export { planSdkCalls, planReset, planStart, sessionFromSdk } from './plan-sdk-calls.js';
export type { IntercomSession, MobileState, MobileStep } from './plan-sdk-calls.js';
export type {
  LauncherVisibility,
  MobileCompany,
  MobileMetadata,
  MobileUserAttributes,
  SdkCall,
} from './sdk-call.js';
export type { IntercomSdk } from './sdk-runner.js';
export { IntercomPluginError, SdkCallError, SdkNotReadyError } from './errors.js';
