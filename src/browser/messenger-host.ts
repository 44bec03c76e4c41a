/**
 * The DOM edge of device mode: the queueing stub, the widget script and `window.intercomSettings`.
 * Everything else is pure and lives in `plan-messenger-calls.ts`.
 */
import type { MessengerCall, MessengerSettings } from './messenger-call.js';

/** `window.Intercom`: the Messenger itself, or the queueing stub holding calls in `q` until it loads. */
type IntercomFunction = ((...args: unknown[]) => void) & { q?: unknown[][] };

/** The globals the Messenger reads. */
interface MessengerGlobals {
  Intercom?: IntercomFunction;
  intercomSettings?: MessengerSettings;
}

/** What the plugin needs from the page; a fake stands in for it in unit tests. */
export interface MessengerHost {
  /** D-2: installs the queueing stub synchronously, then starts loading the widget script. */
  install(widgetUrl: string): void;
  /** Makes one Messenger call (queued by the stub until the widget script has loaded). */
  call(call: MessengerCall): void;
  /** D-4: mirrors what the Messenger has been told in `window.intercomSettings`. */
  remember(settings: MessengerSettings): void;
}

/** The host backed by the page's `window` and `document`. */
export function createWindowHost(): MessengerHost {
  const globals = (): MessengerGlobals => window as MessengerGlobals;
  return {
    install(widgetUrl) {
      const w = globals();
      // A page that installed Intercom's own snippet already has a stub or the Messenger: use it.
      if (typeof w.Intercom === 'function') return;
      const queue: unknown[][] = [];
      const stub: IntercomFunction = (...args) => {
        queue.push(args);
      };
      stub.q = queue;
      w.Intercom = stub;
      const script = document.createElement('script');
      script.async = true;
      script.src = widgetUrl;
      document.head.appendChild(script);
    },
    call(call) {
      // Looked up on every call: the widget script replaces the stub when it loads.
      globals().Intercom?.(...call);
    },
    remember(settings) {
      globals().intercomSettings = settings;
    },
  };
}
