/**
 * The mobile plugin's failures. Messages name the SDK method and the native error code only, never a
 * call's arguments: those carry user hashes and JWTs (M-13).
 */

/** Base class of every failure of the mobile plugin. */
export class IntercomPluginError extends Error {
  override name = 'IntercomPluginError';
}

/** The native error code React Native puts on a rejected native call, when it is a string. */
function nativeCode(cause: unknown): string | undefined {
  const code: unknown =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** M-13: one call of Intercom's SDK failed (the native side rejected it, or it threw). */
export class SdkCallError extends IntercomPluginError {
  override name = 'SdkCallError';
  /** The SDK method, e.g. `loginUserWithUserAttributes`. */
  readonly method: string;
  /** The native error code, when the SDK gave one. */
  readonly code: string | undefined;

  constructor(method: string, cause: unknown) {
    const code = nativeCode(cause);
    super(`Intercom ${method} failed${code === undefined ? '' : ` (${code})`}`, { cause });
    this.method = method;
    this.code = code;
  }
}

/** M-2: the app's `sdkReady` promise was rejected; the plugin goes on and calls the SDK anyway. */
export class SdkNotReadyError extends IntercomPluginError {
  override name = 'SdkNotReadyError';

  constructor(cause: unknown) {
    super('Intercom sdkReady was rejected; calling the SDK anyway', { cause });
  }
}
