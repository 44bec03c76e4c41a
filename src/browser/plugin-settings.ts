/**
 * Device-mode settings (BEHAVIOR.md settings table: `appId`, `activator`, `richLinkProperties`,
 * `region`/`apiBaseUrl`) and their resolution into what the planner and the loader need.
 */

/** An Intercom data-hosting region. */
export type IntercomRegion = 'us' | 'eu' | 'au';

/** Messenger `api_base` of a region: `https://api-iam{,.eu,.au}.intercom.io` (intercom-api.md §5.1, §8). */
function messengerApiBase(region: IntercomRegion): string {
  return `https://api-iam${region === 'us' ? '' : `.${region}`}.intercom.io`;
}

/** The docs' default "Custom Inbox Button Selector": Intercom's own launcher (D-9). */
export const DEFAULT_ACTIVATOR = '#IntercomDefaultWidget';

/** What a site configures for the device-mode plugin. */
export interface IntercomPluginSettings {
  /** Intercom App ID (required in device mode). */
  readonly appId: string;
  /** D-9: CSS selector of the site's own launcher; sent only when not the default. */
  readonly activator?: string;
  /** D-8 / C-TR-5: property names whose `{url, value}` objects pass through to metadata. */
  readonly richLinkProperties?: readonly string[];
  /** Workspace region; sets the Messenger `api_base` (default: Intercom's, i.e. US). */
  readonly region?: IntercomRegion;
  /** Overrides the region's `api_base` (a proxy, a test server). */
  readonly apiBase?: string;
  /** D-2: where the widget script comes from (self-hosting, tests); default Intercom's for `appId`. */
  readonly widgetUrl?: string;
  /** C-TR-4: metadata keys kept per event (default 10). */
  readonly maxEventMetadataKeys?: number;
}

/** Settings resolved once, read by the planner on every event. */
export interface MessengerConfig {
  readonly appId: string;
  /** `undefined`: let the Messenger use its default. */
  readonly apiBase: string | undefined;
  /** `undefined` when the activator is Intercom's default (D-9). */
  readonly launcherSelector: string | undefined;
  readonly richLinkProperties: readonly string[];
  readonly maxEventMetadataKeys: number;
  readonly widgetUrl: string;
}

/** Resolves plugin settings, filling the defaults of BEHAVIOR.md's settings table. */
export function resolveMessengerConfig(settings: IntercomPluginSettings): MessengerConfig {
  const activator = settings.activator ?? DEFAULT_ACTIVATOR;
  return {
    appId: settings.appId,
    apiBase:
      settings.apiBase ?? (settings.region === undefined ? undefined : messengerApiBase(settings.region)),
    launcherSelector: activator === DEFAULT_ACTIVATOR || activator === '' ? undefined : activator,
    richLinkProperties: settings.richLinkProperties ?? [],
    maxEventMetadataKeys: settings.maxEventMetadataKeys ?? 10,
    widgetUrl:
      settings.widgetUrl ?? `https://widget.intercom.io/widget/${encodeURIComponent(settings.appId)}`,
  };
}
