/** The Messenger calls the stand-in widget reports, kept per app id so tests can read them server-side. */

/** One call as the stand-in widget saw it: `Intercom(method, ...args)`. */
export interface RecordedMessengerCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

/** A bounded, in-memory log of Messenger calls per app id. */
export interface MessengerCallLog {
  record(appId: string, call: RecordedMessengerCall): void;
  /** The calls of one app, oldest first. */
  list(appId: string): readonly RecordedMessengerCall[];
  clear(appId: string): void;
}

/** Limits that keep a long-running sandbox's memory bounded. */
export interface CallLogLimits {
  readonly maxApps: number;
  readonly maxCallsPerApp: number;
}

/** Creates an empty log; the oldest app (and the oldest calls of an app) are dropped past the limits. */
export function createMessengerCallLog(
  limits: CallLogLimits = { maxApps: 100, maxCallsPerApp: 1000 },
): MessengerCallLog {
  const byApp = new Map<string, RecordedMessengerCall[]>();
  return {
    record(appId, call) {
      let calls = byApp.get(appId);
      if (calls === undefined) {
        calls = [];
        byApp.set(appId, calls);
        const oldest = byApp.keys().next();
        if (byApp.size > limits.maxApps && oldest.done !== true) byApp.delete(oldest.value);
      }
      calls.push(call);
      if (calls.length > limits.maxCallsPerApp) calls.shift();
    },
    list: (appId) => [...(byApp.get(appId) ?? [])],
    clear(appId) {
      byApp.delete(appId);
    },
  };
}

/** Reads a call posted by the widget (a JSON text or an already parsed body); `undefined` if malformed. */
export function parseRecordedCall(body: unknown): RecordedMessengerCall | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const method: unknown = Reflect.get(value, 'method');
  const args: unknown = Reflect.get(value, 'args');
  if (typeof method !== 'string' || !Array.isArray(args)) return undefined;
  return { method, args: args as readonly unknown[] };
}
