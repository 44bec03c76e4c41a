/**
 * The edge between the pure planner and Intercom's SDK: one queue runs every event's calls in the
 * order the events arrived, each call after the previous one settled (M-2), and keeps the state the
 * planner needs. Failures are reported, never thrown at the app (M-13).
 */
import type { IntercomType } from '@intercom/intercom-react-native';
import type { SegmentEvent } from '../segment/event.js';
import type { MobileConfig } from './plugin-options.js';
import type { SdkCall } from './sdk-call.js';
import {
  planReset,
  planSdkCalls,
  planStart,
  sessionFromSdk,
  type MobileState,
  type MobileStep,
} from './plan-sdk-calls.js';
import { IntercomPluginError, SdkCallError, SdkNotReadyError } from './errors.js';

/** The part of `@intercom/intercom-react-native`'s default export the plugin uses. */
export type IntercomSdk = Pick<
  IntercomType,
  | 'setUserHash'
  | 'setUserJwt'
  | 'loginUserWithUserAttributes'
  | 'loginUnidentifiedUser'
  | 'updateUser'
  | 'logEvent'
  | 'setLauncherVisibility'
  | 'logout'
  | 'isUserLoggedIn'
  | 'fetchLoggedInUserAttributes'
>;

/** What the runner needs from the plugin. */
export interface SdkRunnerOptions {
  readonly sdk: IntercomSdk;
  /** The settings in force when an event's turn comes (Segment's settings may arrive later). */
  readonly config: () => MobileConfig;
  /** Receives every failure; the plugin logs it through Segment's logger. */
  readonly warn: (error: IntercomPluginError) => void;
  /** M-2: settles when the SDK may be called. */
  readonly sdkReady?: PromiseLike<unknown>;
}

/** Makes one planned call on the SDK. */
function execute(sdk: IntercomSdk, call: SdkCall): Promise<unknown> {
  switch (call[0]) {
    case 'setUserHash':
      return sdk.setUserHash(call[1]);
    case 'setUserJwt':
      return sdk.setUserJwt(call[1]);
    case 'loginUserWithUserAttributes':
      return sdk.loginUserWithUserAttributes(call[1]);
    case 'loginUnidentifiedUser':
      return sdk.loginUnidentifiedUser();
    case 'updateUser':
      return sdk.updateUser(call[1]);
    case 'logEvent':
      return sdk.logEvent(call[1], call[2]);
    case 'setLauncherVisibility':
      return sdk.setLauncherVisibility(call[1]);
    case 'logout':
      return sdk.logout();
  }
}

/** Runs planned SDK calls one at a time, in the order events arrive. */
export class SdkRunner {
  private readonly options: SdkRunnerOptions;
  /** `undefined` until the SDK's session has been read, and again after a failed call (M-13). */
  private state: MobileState | undefined;
  private readonly ready: Promise<void>;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: SdkRunnerOptions) {
    this.options = options;
    // Handled at once: the app's promise may settle long before the first event.
    this.ready = Promise.resolve(options.sdkReady).then(
      () => undefined,
      (error: unknown) => options.warn(new SdkNotReadyError(error)),
    );
  }

  /** M-2, M-12: reads the SDK's session now, so an opted-in unidentified user is registered at start. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      await this.currentState();
    });
  }

  /** Plans and makes the calls of one event once every earlier event's calls have settled. */
  event(event: SegmentEvent): Promise<void> {
    return this.enqueue(async () => {
      const state = await this.currentState();
      await this.apply(planSdkCalls(event, state, this.options.config()));
    });
  }

  /** M-6: logs out (and registers an unidentified user when opted in) after the earlier events. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      await this.whenReady();
      await this.apply(planReset(this.options.config()));
    });
  }

  /** Settles once every call queued so far has settled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      // A failed call arrives as SdkCallError; anything else is a fault of the plugin itself.
      const failure =
        error instanceof IntercomPluginError
          ? error
          : new IntercomPluginError('Intercom plugin failed on an event', { cause: error });
      this.options.warn(failure);
    });
    return this.queue;
  }

  /** M-2: the app's `sdkReady`; a rejection is reported and the plugin goes on. */
  private whenReady(): Promise<void> {
    return this.ready;
  }

  /** M-2: the known state, or the SDK's session read afresh (after start, or after a failure). */
  private async currentState(): Promise<MobileState> {
    if (this.state !== undefined) return this.state;
    await this.whenReady();
    const loggedIn = await this.read('isUserLoggedIn', () => this.options.sdk.isUserLoggedIn());
    const attributes = loggedIn
      ? await this.read('fetchLoggedInUserAttributes', () => this.options.sdk.fetchLoggedInUserAttributes())
      : undefined;
    const step = planStart(sessionFromSdk(loggedIn, attributes), this.options.config());
    await this.apply(step);
    return step.state;
  }

  private async read<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error: unknown) {
      throw new SdkCallError(method, error);
    }
  }

  /** Makes a step's calls in order; the first failure skips the rest and forgets the state (M-13). */
  private async apply(step: MobileStep): Promise<void> {
    for (const call of step.calls) {
      try {
        await execute(this.options.sdk, call);
      } catch (error: unknown) {
        this.state = undefined;
        throw new SdkCallError(call[0], error);
      }
    }
    this.state = step.state;
  }
}
