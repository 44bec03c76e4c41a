/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JsonValue } from '../segment/json.js';
import { toSegmentEvent } from '../mapping/library-event.js';
import {
  planReset,
  planSdkCalls,
  planStart,
  sessionFromSdk,
  type IntercomSession,
  type MobileState,
} from './plan-sdk-calls.js';
import { resolveMobileConfig, type IntercomPluginOptions, type MobileConfig } from './plugin-options.js';
import type { SdkCall } from './sdk-call.js';

/** One fixture file: options, the session the SDK reports at start, events (or resets), every SDK call. */
interface Fixture {
  readonly title: string;
  readonly options?: IntercomPluginOptions;
  /** Segment's `Intercom` settings for the device. */
  readonly segmentSettings?: JsonValue;
  /** What the SDK reports at start; nobody logged in when absent. */
  readonly session?: { readonly kind: string; readonly userId?: string; readonly email?: string };
  readonly steps: readonly ({ readonly event: JsonValue } | { readonly reset: true })[];
  readonly calls: readonly SdkCall[];
}

const fixtures = import.meta.glob<Fixture>('./fixtures/*.json', { eager: true, import: 'default' });

/** The session a fixture starts from, as the SDK would report it. */
function startSession(fixture: Fixture): IntercomSession {
  const session = fixture.session ?? { kind: 'none' };
  return sessionFromSdk(session.kind !== 'none', session);
}

/** Plans a fixture's steps from its start session, collecting every call. */
function run(fixture: Fixture): SdkCall[] {
  const config = resolveMobileConfig(fixture.options ?? {}, fixture.segmentSettings);
  const start = planStart(startSession(fixture), config);
  const calls: SdkCall[] = [...start.calls];
  let state = start.state;
  for (const step of fixture.steps) {
    let result;
    if ('reset' in step) {
      result = planReset(config);
    } else {
      const event = toSegmentEvent(step.event);
      if (event === undefined)
        throw new TypeError(`fixture event is not a Segment event: ${JSON.stringify(step.event)}`);
      result = planSdkCalls(event, state, config);
    }
    calls.push(...result.calls);
    state = result.state;
  }
  return calls;
}

describe('mobile device mode: event → SDK calls (fixtures named by rule id)', () => {
  const entries = Object.entries(fixtures).sort(([a], [b]) => a.localeCompare(b));

  it('has fixtures for every planner rule M-1 … M-12', () => {
    const names = entries.map(([path]) => path);
    for (let rule = 1; rule <= 12; rule += 1) {
      expect(names.some((name) => name.includes(`/M-${rule}-`))).toBe(true);
    }
  });

  for (const [path, fixture] of entries) {
    const name = path.replace('./fixtures/', '').replace('.json', '');
    it(`${name}: ${fixture.title}`, () => {
      expect(run(fixture)).toEqual(fixture.calls);
    });
  }
});

describe('M-2 sessionFromSdk', () => {
  it.each([
    [false, { userId: 'u1' }, { kind: 'none' }],
    [true, {}, { kind: 'unidentified' }],
    [true, null, { kind: 'unidentified' }],
    [true, { userId: '', email: '' }, { kind: 'unidentified' }],
    [true, { userId: 'u1' }, { kind: 'identified', user: { userId: 'u1' } }],
    [true, { email: 'a@example.com', userId: 7 }, { kind: 'identified', user: { email: 'a@example.com' } }],
  ])('logged in %j with %j is %j', (loggedIn, attributes, session) => {
    expect(sessionFromSdk(loggedIn, attributes)).toEqual(session);
  });
});

/** Random sessions of identifies (two users, by id or by email), tracks, groups and resets. */
const action = fc.oneof(
  fc.record({
    kind: fc.constant('identify' as const),
    userId: fc.constantFrom(undefined, 'u1', 'u2'),
    email: fc.constantFrom(undefined, 'one@example.com', 'two@example.com'),
    plan: fc.constantFrom('a', 'b'),
    hash: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('track' as const) }),
  fc.record({ kind: fc.constant('group' as const), plan: fc.constantFrom('a', 'b') }),
  fc.record({ kind: fc.constant('reset' as const) }),
);

type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

/** The Segment event of one random action (resets have none). */
function toEvent(a: Action, index: number): JsonValue | undefined {
  const common = { messageId: `m${index}`, timestamp: '2024-05-01T10:00:00.000Z', anonymousId: 'anon-1' };
  switch (a.kind) {
    case 'identify':
      return {
        ...common,
        type: 'identify',
        ...(a.userId !== undefined && { userId: a.userId }),
        traits: { plan: a.plan, ...(a.email !== undefined && { email: a.email }) },
        ...(a.hash && { integrations: { Intercom: { user_hash: `hash-${a.userId ?? a.email ?? ''}` } } }),
      };
    case 'track':
      return { ...common, type: 'track', event: 'Clicked', properties: {} };
    case 'group':
      return { ...common, type: 'group', groupId: 'acme', traits: { plan: a.plan } };
    case 'reset':
      return undefined;
  }
}

/** Plans a random session, returning every call. */
function plan(actions: readonly Action[], config: MobileConfig, session: IntercomSession): SdkCall[] {
  const start = planStart(session, config);
  let state: MobileState = start.state;
  const calls: SdkCall[] = [...start.calls];
  actions.forEach((a, index) => {
    const raw = toEvent(a, index);
    const event = raw === undefined ? undefined : toSegmentEvent(raw);
    const step = event === undefined ? planReset(config) : planSdkCalls(event, state, config);
    calls.push(...step.calls);
    state = step.state;
  });
  return calls;
}

/** Who the SDK holds after each call, replayed from the calls alone. */
type Held = 'none' | 'unidentified' | { readonly userId?: string; readonly email?: string };

describe('mobile planner invariants (random sessions)', () => {
  const configs = fc.record({
    registerUnidentifiedUsers: fc.boolean(),
    richLinkProperties: fc.constant([] as readonly string[]),
    maxEventMetadataKeys: fc.constant(10),
  });

  it('M-6: a login never follows the login of a different identified user without a logout between', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), configs, (actions, config) => {
        let held: Held = 'none';
        for (const call of plan(actions, config, { kind: 'none' })) {
          if (call[0] === 'logout') held = 'none';
          if (call[0] === 'loginUnidentifiedUser') {
            expect(held).toBe('none');
            held = 'unidentified';
          }
          if (call[0] === 'loginUserWithUserAttributes') {
            // Only nobody or an unidentified user (merged by Intercom) may precede a login.
            expect(typeof held === 'string').toBe(true);
            held = { ...call[1] };
          }
        }
      }),
    );
  });

  it('M-3, M-8: updateUser and logEvent are only planned while somebody is logged in', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), configs, (actions, config) => {
        let loggedIn = false;
        for (const call of plan(actions, config, { kind: 'none' })) {
          if (call[0] === 'logout') loggedIn = false;
          if (call[0] === 'loginUnidentifiedUser' || call[0] === 'loginUserWithUserAttributes')
            loggedIn = true;
          if (call[0] === 'updateUser' || call[0] === 'logEvent') expect(loggedIn).toBe(true);
        }
      }),
    );
  });

  it('M-5: a user hash is only ever set right before a login', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), configs, (actions, config) => {
        const calls = plan(actions, config, { kind: 'none' });
        calls.forEach((call, index) => {
          if (call[0] === 'setUserHash') expect(calls[index + 1]?.[0]).toBe('loginUserWithUserAttributes');
        });
      }),
    );
  });

  it('M-12: without the opt-in, no unidentified user is ever registered', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 25 }), (actions) => {
        const config = resolveMobileConfig({}, undefined);
        expect(plan(actions, config, { kind: 'none' }).map((call) => call[0])).not.toContain(
          'loginUnidentifiedUser',
        );
      }),
    );
  });

  it('does not mutate the state it is given', () => {
    const config = resolveMobileConfig({}, undefined);
    const state: MobileState = { session: { kind: 'none' }, lastCompanyUpdates: {} };
    const event = toSegmentEvent({ type: 'identify', messageId: 'm1', timestamp: 't', userId: 'u1' });
    if (event === undefined) throw new TypeError('bad event');
    planSdkCalls(event, state, config);
    expect(state).toEqual({ session: { kind: 'none' }, lastCompanyUpdates: {} });
  });
});
