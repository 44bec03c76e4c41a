/** The analytics-next destination plugin driving the Intercom Messenger (D-1 … D-11). */
import type { Analytics, Context, Plugin } from '@segment/analytics-next';
import type { MessengerCall } from './messenger-call.js';
import { createWindowHost, type MessengerHost } from './messenger-host.js';
import { resolveMessengerConfig, type IntercomPluginSettings } from './plugin-settings.js';
import {
  INITIAL_MESSENGER_STATE,
  planMessengerCalls,
  planReset,
  type MessengerStep,
} from './plan-messenger-calls.js';
import { toSegmentEvent } from '../mapping/library-event.js';

/**
 * Creates the `Intercom` destination plugin (D-1: analytics.js's `integrations` option turns it off
 * or configures it by that name); `host` is replaceable for tests.
 */
export function intercomPlugin(
  settings: IntercomPluginSettings,
  host: MessengerHost = createWindowHost(),
): Plugin {
  const config = resolveMessengerConfig(settings);
  let state = INITIAL_MESSENGER_STATE;
  let installed = false;

  const apply = (step: MessengerStep): void => {
    step.calls.forEach((call: MessengerCall) => host.call(call));
    if (step.state.settings !== state.settings)
      host.remember({ app_id: config.appId, ...step.state.settings });
    state = step.state;
  };
  const deliver = (ctx: Context): Context => {
    const event = toSegmentEvent(ctx.event);
    if (event !== undefined) apply(planMessengerCalls(event, state, config));
    return ctx;
  };

  return {
    name: 'Intercom',
    type: 'destination',
    version: '1.0.0',
    isLoaded: () => installed,
    load: (_ctx: Context, analytics: Analytics) => {
      // analytics.js does not await load() and delivers events at once: the stub must exist now (D-2).
      host.install(config.widgetUrl);
      installed = true;
      analytics.on('reset', () => apply(planReset()));
      return Promise.resolve();
    },
    page: deliver,
    identify: deliver,
    group: deliver,
    track: deliver,
  };
}
