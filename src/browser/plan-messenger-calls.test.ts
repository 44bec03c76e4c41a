/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../segment/json.js';
import type { MessengerCall } from './messenger-call.js';
import {
  INITIAL_MESSENGER_STATE,
  planMessengerCalls,
  planReset,
  type MessengerState,
} from './plan-messenger-calls.js';
import { resolveMessengerConfig, type IntercomPluginSettings } from './plugin-settings.js';
import { toSegmentEvent } from '../mapping/library-event.js';

/** One fixture file: settings, a sequence of events (or resets), and every Messenger call expected. */
interface Fixture {
  readonly title: string;
  readonly settings?: IntercomPluginSettings;
  readonly steps: readonly ({ readonly event: JsonValue } | { readonly reset: true })[];
  readonly calls: readonly MessengerCall[];
  /** The merged `window.intercomSettings` expected after the last step. */
  readonly intercomSettings?: Readonly<Record<string, JsonValue>>;
}

const fixtures = import.meta.glob<Fixture>('./fixtures/*.json', { eager: true, import: 'default' });

function run(fixture: Fixture): { calls: MessengerCall[]; state: MessengerState } {
  const config = resolveMessengerConfig(fixture.settings ?? { appId: 'app123' });
  let state = INITIAL_MESSENGER_STATE;
  const calls: MessengerCall[] = [];
  for (const step of fixture.steps) {
    let result;
    if ('reset' in step) {
      result = planReset();
    } else {
      const event = toSegmentEvent(step.event);
      if (event === undefined)
        throw new TypeError(`fixture event is not a Segment event: ${JSON.stringify(step.event)}`);
      result = planMessengerCalls(event, state, config);
    }
    calls.push(...result.calls);
    state = result.state;
  }
  return { calls, state };
}

describe('device mode: event → Messenger calls (fixtures named by rule id)', () => {
  const entries = Object.entries(fixtures).sort(([a], [b]) => a.localeCompare(b));

  it('has fixtures for every device-mode rule D-3 … D-11', () => {
    const names = entries.map(([path]) => path);
    for (const rule of ['D-3', 'D-4', 'D-5', 'D-6', 'D-7', 'D-8', 'D-9', 'D-10', 'D-11']) {
      expect(names.some((name) => name.includes(`/${rule}-`))).toBe(true);
    }
  });

  for (const [path, fixture] of entries) {
    const name = path.replace('./fixtures/', '').replace('.json', '');
    it(`${name}: ${fixture.title}`, () => {
      const { calls, state } = run(fixture);
      expect(calls).toEqual(fixture.calls);
      if (fixture.intercomSettings !== undefined) expect(state.settings).toEqual(fixture.intercomSettings);
    });
  }
});

describe('device mode planner invariants', () => {
  const config = resolveMessengerConfig({ appId: 'app123' });
  const identify = (userId: string, plan: string): JsonValue => ({
    type: 'identify',
    messageId: `m-${userId}-${plan}`,
    timestamp: '2024-05-01T10:00:00.000Z',
    userId,
    traits: { plan },
  });

  it('D-3: never sends update before boot, whatever the order of events', () => {
    const events = [identify('u1', 'a'), identify('u2', 'b'), identify('u2', 'c')];
    let state = INITIAL_MESSENGER_STATE;
    const methods: string[] = [];
    for (const raw of events) {
      const event = toSegmentEvent(raw);
      if (event === undefined) throw new TypeError('bad event');
      const step = planMessengerCalls(event, state, config);
      methods.push(...step.calls.map((call) => call[0]));
      state = step.state;
    }
    expect(methods).toEqual(['boot', 'shutdown', 'boot', 'update']);
  });

  it('D-10: reset always shuts down and forgets the user and settings', () => {
    const step = planReset();
    expect(step.calls).toEqual([['shutdown']]);
    expect(step.state).toEqual(INITIAL_MESSENGER_STATE);
  });

  it('does not mutate the state it is given', () => {
    const event = toSegmentEvent(identify('u1', 'a'));
    if (event === undefined) throw new TypeError('bad event');
    const before: MessengerState = { booted: false, settings: {} };
    planMessengerCalls(event, before, config);
    expect(before).toEqual({ booted: false, settings: {} });
  });
});

describe('toSegmentEvent', () => {
  it('turns a Date timestamp into ISO text and drops a null userId', () => {
    const event = toSegmentEvent({
      type: 'page',
      messageId: 'm1',
      timestamp: new Date(Date.UTC(2024, 0, 2)),
      userId: null,
    });
    expect(event).toEqual({ type: 'page', messageId: 'm1', timestamp: '2024-01-02T00:00:00.000Z' });
  });

  it.each([[null], ['page'], [{ type: 'track' }], [{ type: 'group' }], [{ type: 'other' }]])(
    'rejects %j',
    (raw) => {
      expect(toSegmentEvent(raw)).toBeUndefined();
    },
  );
});
