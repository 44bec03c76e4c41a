/**
 * What an app configures for the mobile plugin, and how it combines with the `Intercom` settings
 * Segment delivers to the device (its CDN settings, or `defaultSettings` in the client config).
 */
import { isJsonObject } from '../segment/json.js';

/** Options given to the plugin by the app. */
export interface IntercomPluginOptions {
  /** M-12: register an unidentified user while nobody is logged in (default `false`). */
  readonly registerUnidentifiedUsers?: boolean;
  /** C-TR-5: property names whose `{url, value}` objects pass to event metadata (wins over Segment's setting). */
  readonly richLinkProperties?: readonly string[];
  /** C-TR-4: metadata keys kept per event (default 10; wins over Segment's setting). */
  readonly maxEventMetadataKeys?: number;
  /**
   * M-2: settles when Intercom's SDK may be called, e.g. `Intercom.initialize(apiKey, appId)` when the
   * app initialises Intercom from JavaScript; until then every event waits, in order.
   */
  readonly sdkReady?: PromiseLike<unknown>;
}

/** Settings the planner reads on every event. */
export interface MobileConfig {
  readonly registerUnidentifiedUsers: boolean;
  readonly richLinkProperties: readonly string[];
  readonly maxEventMetadataKeys: number;
}

/** The plugin's defaults (BEHAVIOR.md settings table). */
export const DEFAULT_MOBILE_CONFIG: MobileConfig = {
  registerUnidentifiedUsers: false,
  richLinkProperties: [],
  maxEventMetadataKeys: 10,
};

/** String arrays only; anything else reads as absent. */
function stringList(value: unknown): readonly string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** A finite number only; anything else reads as absent. */
function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The settings in force: the app's options, then Segment's `Intercom` settings (`segmentSettings`,
 * open JSON from the device's settings), then the defaults.
 */
export function resolveMobileConfig(options: IntercomPluginOptions, segmentSettings: unknown): MobileConfig {
  const segment = isJsonObject(segmentSettings) ? segmentSettings : {};
  return {
    registerUnidentifiedUsers: options.registerUnidentifiedUsers === true,
    richLinkProperties:
      options.richLinkProperties ??
      stringList(segment['richLinkProperties']) ??
      DEFAULT_MOBILE_CONFIG.richLinkProperties,
    maxEventMetadataKeys:
      options.maxEventMetadataKeys ??
      finiteNumber(segment['maxEventMetadataKeys']) ??
      DEFAULT_MOBILE_CONFIG.maxEventMetadataKeys,
  };
}
