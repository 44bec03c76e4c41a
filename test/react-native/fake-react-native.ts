/**
 * Stands in for the `react-native` package off-device (vitest aliases `react-native` to this file), the
 * way React Native libraries are tested without a phone: the JavaScript of
 * `@segment/analytics-react-native` and `@intercom/intercom-react-native` runs for real, and only the
 * native side behind `NativeModules` is replaced. Intercom's native module records every call in order.
 */
import { createNativeIntercom } from './native-intercom.js';

/** The device the tests pretend to run on. */
export const Platform = {
  OS: 'ios' as const,
  Version: '18.0',
  select<T>(spec: { ios?: T; native?: T; default?: T }): T | undefined {
    return spec.ios ?? spec.native ?? spec.default;
  },
};

/** Intercom's native module: records every call and models who is logged in. */
export const nativeIntercom = createNativeIntercom();

/** What Segment's native module reports about the device (`getContextInfo`), fixed. */
const nativeAnalytics = {
  getContextInfo: () =>
    Promise.resolve({
      appName: 'Example',
      appVersion: '1.0.0',
      buildNumber: '1',
      bundleId: 'com.example.app',
      locale: 'en-US',
      networkType: 'wifi',
      osName: 'iOS',
      osVersion: '18.0',
      screenHeight: 844,
      screenWidth: 390,
      timezone: 'UTC',
      manufacturer: 'Apple',
      model: 'iPhone15,2',
      deviceName: 'Test',
      deviceId: '',
      deviceType: 'ios',
      screenDensity: 3,
    }),
};

/** Sovran's native store bridge; it only announces its event name. */
const nativeSovran = { getConstants: () => ({ ON_STORE_ACTION: 'onStoreAction' }) };

/** The native modules the two packages look up by name. */
export const NativeModules: Record<string, unknown> = {
  AnalyticsReactNative: nativeAnalytics,
  Sovran: nativeSovran,
  IntercomModule: nativeIntercom.module,
  IntercomEventEmitter: {
    UNREAD_COUNT_CHANGE_NOTIFICATION: 'IntercomUnreadConversationCountDidChangeNotification',
    WINDOW_DID_HIDE_NOTIFICATION: 'IntercomWindowDidHideNotification',
    WINDOW_DID_SHOW_NOTIFICATION: 'IntercomWindowDidShowNotification',
  },
};

/** The old architecture: no TurboModules, so Intercom falls back to `NativeModules.IntercomModule`. */
export const TurboModuleRegistry = {
  get: (): null => null,
  getEnforcing: (name: string): never => {
    throw new TypeError(`TurboModuleRegistry: '${name}' is not available off-device`);
  },
};

/** Native events never fire off-device; subscriptions only need to be removable. */
export class NativeEventEmitter {
  addListener(): { remove(): void } {
    return { remove: () => undefined };
  }
  removeAllListeners(): void {}
}

/** The app stays in the foreground. */
export const AppState = {
  currentState: 'active',
  addEventListener: (): { remove(): void } => ({ remove: () => undefined }),
};
