/**
 * A recording fake of Intercom's native module (`NativeModules.IntercomModule`): every call is kept,
 * in order, with its arguments as the JavaScript module passed them; it also models who is logged in,
 * as the iOS and Android SDKs do, so a test can start the app with a restored session, hold a call
 * pending (a login still in flight) or make one fail.
 */

/** One native call: the method name, then its arguments. */
export type NativeCall = readonly [string, ...unknown[]];

/** Who the native SDK holds as logged in. */
export type NativeSession =
  | { readonly kind: 'none' }
  | { readonly kind: 'unidentified' }
  | { readonly kind: 'identified'; readonly userId?: string; readonly email?: string };

/** The fake and its controls. */
export interface NativeIntercom {
  /** What `NativeModules.IntercomModule` returns. */
  readonly module: Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;
  /** Every call so far, oldest first. */
  readonly calls: readonly NativeCall[];
  /** The session the SDK holds now. */
  session(): NativeSession;
  /** Forgets every call and holds, and starts from `session` (an app launched with a stored login). */
  reset(session?: NativeSession): void;
  /** The next call of `method` stays pending (recorded, not answered) until {@link release}. */
  hold(method: string): void;
  /** Answers the held calls of `method`. */
  release(method: string): void;
  /** The next call of `method` is rejected with `code`, as the SDK rejects a failed call. */
  fail(method: string, code: string): void;
}

/** A rejection as React Native delivers it: an Error with the native error code. */
function rejection(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Attributes as passed to the login and update methods. */
interface PassedAttributes {
  readonly userId?: unknown;
  readonly email?: unknown;
}

/** Creates the fake with nobody logged in. */
export function createNativeIntercom(): NativeIntercom {
  const calls: NativeCall[] = [];
  let session: NativeSession = { kind: 'none' };
  const held = new Map<string, (() => void)[]>();
  const toHold = new Set<string>();
  const toFail = new Map<string, string>();

  const requireUser = (method: string): true => {
    // The SDKs refuse to update or log for nobody: "no user logged in".
    if (session.kind === 'none') throw rejection('NO_USER', `${method}: no user is logged in`);
    return true;
  };
  const effects: Readonly<Record<string, (args: readonly unknown[]) => unknown>> = {
    initialize: () => true,
    loginUnidentifiedUser: () => {
      session = { kind: 'unidentified' };
      return true;
    },
    loginUserWithUserAttributes: ([attributes]) => {
      const { userId, email } = (attributes ?? {}) as PassedAttributes;
      const id = typeof userId === 'string' && userId !== '' ? userId : undefined;
      const mail = typeof email === 'string' && email !== '' ? email : undefined;
      if (id === undefined && mail === undefined)
        throw rejection('IDENTIFIED_REGISTRATION', 'Invalid userId or email');
      session = {
        kind: 'identified',
        ...(id !== undefined && { userId: id }),
        ...(mail !== undefined && { email: mail }),
      };
      return true;
    },
    logout: () => {
      session = { kind: 'none' };
      return true;
    },
    setUserHash: () => true,
    setUserJwt: () => true,
    setLauncherVisibility: () => true,
    updateUser: () => requireUser('updateUser'),
    logEvent: () => requireUser('logEvent'),
    isUserLoggedIn: () => session.kind !== 'none',
    fetchLoggedInUserAttributes: () =>
      session.kind === 'identified'
        ? {
            ...(session.userId !== undefined && { userId: session.userId }),
            ...(session.email !== undefined && { email: session.email }),
          }
        : {},
  };

  const answer = (method: string, args: readonly unknown[]): Promise<unknown> => {
    const code = toFail.get(method);
    toFail.delete(method);
    if (code !== undefined) return Promise.reject(rejection(code, `${method} failed`));
    try {
      return Promise.resolve(effects[method]?.(args));
    } catch (error: unknown) {
      return Promise.reject(error instanceof Error ? error : new TypeError(String(error)));
    }
  };

  const module: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of Object.keys(effects)) {
    module[method] = (...args: unknown[]) => {
      calls.push([method, ...args]);
      if (!toHold.delete(method)) return answer(method, args);
      return new Promise((resolve, reject) => {
        const waiting = held.get(method) ?? [];
        waiting.push(() => {
          answer(method, args).then(resolve, reject);
        });
        held.set(method, waiting);
      });
    };
  }

  return {
    module,
    calls,
    session: () => session,
    reset(next = { kind: 'none' }) {
      calls.length = 0;
      session = next;
      held.clear();
      toHold.clear();
      toFail.clear();
    },
    hold(method) {
      toHold.add(method);
    },
    release(method) {
      const waiting = held.get(method) ?? [];
      held.delete(method);
      for (const answerNow of waiting) answerNow();
    },
    fail(method, code) {
      toFail.set(method, code);
    },
  };
}
