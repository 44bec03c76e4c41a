import { describe, expect, it } from 'vitest';
import type { Analytics, Context } from '@segment/analytics-next';
import type { MessengerCall, MessengerSettings } from './messenger-call.js';
import type { MessengerHost } from './messenger-host.js';
import { intercomPlugin } from './plugin.js';

/** A host that records what the plugin does to the page, in order. */
function recordingHost(): MessengerHost & {
  log: string[];
  calls: MessengerCall[];
  settings: MessengerSettings | undefined;
} {
  const host = {
    log: [] as string[],
    calls: [] as MessengerCall[],
    settings: undefined as MessengerSettings | undefined,
    install(widgetUrl: string) {
      host.log.push(`install ${widgetUrl}`);
    },
    call(call: MessengerCall) {
      host.log.push(`call ${call[0]}`);
      host.calls.push(call);
    },
    remember(settings: MessengerSettings) {
      host.settings = settings;
    },
  };
  return host;
}

/** The one part of Analytics the plugin uses: its `reset` event. */
function fakeAnalytics(): { analytics: Analytics; reset: () => void } {
  const listeners: (() => void)[] = [];
  const fake = {
    on(name: string, fn: () => void) {
      if (name === 'reset') listeners.push(fn);
      return fake;
    },
  };
  return { analytics: fake as unknown as Analytics, reset: () => listeners.forEach((fn) => fn()) };
}

const ctx = (event: Record<string, unknown>): Context => ({ event }) as unknown as Context;
const at = { messageId: 'm', timestamp: new Date(Date.UTC(2024, 4, 1)) };

describe('intercomPlugin', () => {
  it('D-1: is a destination plugin named Intercom', () => {
    const plugin = intercomPlugin({ appId: 'app1' }, recordingHost());
    expect(plugin.name).toBe('Intercom');
    expect(plugin.type).toBe('destination');
  });

  it('D-2: installs the stub synchronously inside load(), before any event, from the default widget URL', () => {
    const host = recordingHost();
    const plugin = intercomPlugin({ appId: 'a b' }, host);
    expect(plugin.isLoaded()).toBe(false);
    void plugin.load(ctx({}), fakeAnalytics().analytics);
    // Checked without awaiting: analytics.js does not await load() either.
    expect(host.log).toEqual(['install https://widget.intercom.io/widget/a%20b']);
    expect(plugin.isLoaded()).toBe(true);
  });

  it('D-2: uses an overridden widget URL', () => {
    const host = recordingHost();
    void intercomPlugin({ appId: 'app1', widgetUrl: 'http://127.0.0.1:1/widget/app1' }, host).load(
      ctx({}),
      fakeAnalytics().analytics,
    );
    expect(host.log).toEqual(['install http://127.0.0.1:1/widget/app1']);
  });

  it('D-4, D-8: delivers identify and track as Messenger calls and mirrors window.intercomSettings', async () => {
    const host = recordingHost();
    const plugin = intercomPlugin({ appId: 'app1' }, host);
    await plugin.load(ctx({}), fakeAnalytics().analytics);
    await plugin.identify?.(
      ctx({ ...at, type: 'identify', userId: 'u1', traits: { email: 'a@example.com' } }),
    );
    await plugin.track?.(ctx({ ...at, type: 'track', event: 'Clicked', properties: { ok: true } }));
    expect(host.calls).toEqual([
      ['boot', { user_id: 'u1', email: 'a@example.com', app_id: 'app1' }],
      ['trackEvent', 'Clicked', { ok: 'true' }],
    ]);
    expect(host.settings).toEqual({ app_id: 'app1', user_id: 'u1', email: 'a@example.com' });
  });

  it('D-10: analytics.reset() shuts down and the next page boots a fresh Messenger', async () => {
    const host = recordingHost();
    const { analytics, reset } = fakeAnalytics();
    const plugin = intercomPlugin({ appId: 'app1' }, host);
    await plugin.load(ctx({}), analytics);
    await plugin.identify?.(ctx({ ...at, type: 'identify', userId: 'u1' }));
    reset();
    await plugin.page?.(ctx({ ...at, type: 'page', userId: null, anonymousId: 'x' }));
    expect(host.calls.map((call) => call[0])).toEqual(['boot', 'shutdown', 'boot']);
    expect(host.settings).toEqual({ app_id: 'app1' });
  });

  it('ignores events it cannot read instead of throwing', async () => {
    const host = recordingHost();
    const plugin = intercomPlugin({ appId: 'app1' }, host);
    const given = ctx({ type: 'track' });
    await expect(Promise.resolve(plugin.track?.(given))).resolves.toBe(given);
    expect(host.calls).toEqual([]);
  });
});
