/** The `@segment/analytics-react-native` destination plugin driving Intercom's mobile SDK (M-1 … M-13). */
import {
  DestinationPlugin,
  type GroupEventType,
  type IdentifyEventType,
  type SegmentAPISettings,
  type TrackEventType,
  type UpdateType,
} from '@segment/analytics-react-native';
import Intercom from '@intercom/intercom-react-native';
import { toSegmentEvent } from '../mapping/library-event.js';
import { resolveMobileConfig, type IntercomPluginOptions, type MobileConfig } from './plugin-options.js';
import { SdkRunner, type IntercomSdk } from './sdk-runner.js';

/**
 * Sends Segment's identify, group and track calls to Intercom's React Native SDK. Its key is
 * `Intercom` (M-1), so `integrations: {Intercom: false}` keeps an event from it, and it runs while
 * Segment's settings for the device have an `Intercom` entry. `sdk` is replaceable for tests.
 */
export class IntercomPlugin extends DestinationPlugin {
  override key = 'Intercom';
  private readonly options: IntercomPluginOptions;
  private config: MobileConfig;
  private readonly runner: SdkRunner;

  constructor(options: IntercomPluginOptions = {}, sdk: IntercomSdk = Intercom) {
    super();
    this.options = options;
    this.config = resolveMobileConfig(options, undefined);
    this.runner = new SdkRunner({
      sdk,
      config: () => this.config,
      warn: (error) => this.analytics?.logger.warn(error.message),
      ...(options.sdkReady !== undefined && { sdkReady: options.sdkReady }),
    });
  }

  /**
   * Segment's settings arrived (or changed): read ours, and read the SDK's session once (M-2). Without
   * an `Intercom` entry the destination is off for this source (M-1) and the SDK is left alone.
   */
  override update(settings: SegmentAPISettings, _type: UpdateType): void {
    const ours: unknown = settings.integrations?.[this.key];
    if (ours === undefined) return;
    this.config = resolveMobileConfig(this.options, ours);
    void this.runner.start();
  }

  override identify(event: IdentifyEventType): IdentifyEventType {
    this.deliver(event);
    return event;
  }

  override group(event: GroupEventType): GroupEventType {
    this.deliver(event);
    return event;
  }

  override track(event: TrackEventType): TrackEventType {
    this.deliver(event);
    return event;
  }

  /** M-6: `analytics.reset()` logs the user out of Intercom; settles once the logout has. */
  override reset(): Promise<void> {
    return this.runner.reset();
  }

  /** Settles once every SDK call queued so far has settled (`analytics.flush()` waits for it). */
  override flush(): Promise<void> {
    return this.runner.idle();
  }

  /** Queues the event's SDK calls; the event goes on through Segment's timeline at once. */
  private deliver(event: IdentifyEventType | GroupEventType | TrackEventType): void {
    const json = toSegmentEvent(event);
    if (json !== undefined) void this.runner.event(json);
  }
}
