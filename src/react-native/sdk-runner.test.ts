import { describe, expect, it, vi } from 'vitest';
import { createNativeIntercom, type NativeIntercom } from '../../test/react-native/native-intercom.js';
import type { SegmentEvent } from '../segment/event.js';
import { DEFAULT_MOBILE_CONFIG, type MobileConfig } from './plugin-options.js';
import { SdkRunner, type IntercomSdk } from './sdk-runner.js';
import type { IntercomPluginError } from './errors.js';

const T = '2024-05-01T10:00:00.000Z';
/** Lets every pending promise and timer of this turn run. */
const nextTurn = () =>
  new Promise<void>((resolve) => {
    setTimeout(() => resolve(), 0);
  });
const identify = (userId: string, extra: Partial<SegmentEvent> = {}): SegmentEvent =>
  ({
    type: 'identify',
    messageId: `i-${userId}`,
    timestamp: T,
    userId,
    traits: { plan: 'pro' },
    ...extra,
  }) as SegmentEvent;
const track = (name: string): SegmentEvent => ({
  type: 'track',
  messageId: `t-${name}`,
  timestamp: T,
  event: name,
});

/** A runner over the recording fake of the SDK, with the warnings it reports. */
function setup(config: MobileConfig = DEFAULT_MOBILE_CONFIG, sdkReady?: PromiseLike<unknown>) {
  const native: NativeIntercom = createNativeIntercom();
  const warnings: IntercomPluginError[] = [];
  const runner = new SdkRunner({
    // The fake's methods have the SDK's names and resolve as the SDK's promises do.
    sdk: native.module as unknown as IntercomSdk,
    config: () => config,
    warn: (error) => warnings.push(error),
    ...(sdkReady !== undefined && { sdkReady }),
  });
  const methods = () => native.calls.map((call) => call[0]);
  return { native, runner, warnings, methods };
}

describe('SdkRunner', () => {
  it('M-2: reads the session once, before the first call', async () => {
    const { runner, native } = setup();
    await Promise.all([runner.start(), runner.event(identify('u1')), runner.event(track('A'))]);
    expect(native.calls).toEqual([
      ['isUserLoggedIn'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['updateUser', { customAttributes: { plan: 'pro' } }],
      ['logEvent', 'A', {}],
    ]);
  });

  it('M-2: a track sent while the login is in flight logs its event only after the login resolved', async () => {
    const { runner, native, methods } = setup();
    native.hold('loginUserWithUserAttributes');
    const identified = runner.event(identify('u1'));
    const tracked = runner.event(track('Clicked'));
    await vi.waitFor(() => expect(methods()).toContain('loginUserWithUserAttributes'));
    // Give any wrongly unqueued call every chance to happen before the login answers.
    await nextTurn();
    expect(methods()).toEqual(['isUserLoggedIn', 'loginUserWithUserAttributes']);
    native.release('loginUserWithUserAttributes');
    await Promise.all([identified, tracked]);
    expect(methods()).toEqual(['isUserLoggedIn', 'loginUserWithUserAttributes', 'updateUser', 'logEvent']);
  });

  it('M-2: calls nothing before sdkReady settles, then runs every queued event in order', async () => {
    let ready: () => void = () => undefined;
    const { runner, methods } = setup(
      DEFAULT_MOBILE_CONFIG,
      new Promise<void>((resolve) => {
        ready = resolve;
      }),
    );
    const done = Promise.all([runner.event(identify('u1')), runner.event(track('A')), runner.reset()]);
    await nextTurn();
    expect(methods()).toEqual([]);
    ready();
    await done;
    expect(methods()).toEqual([
      'isUserLoggedIn',
      'loginUserWithUserAttributes',
      'updateUser',
      'logEvent',
      'logout',
    ]);
  });

  it('M-2: a rejected sdkReady is reported and the plugin calls the SDK anyway', async () => {
    const { runner, methods, warnings } = setup(DEFAULT_MOBILE_CONFIG, Promise.reject(new Error('no key')));
    await runner.event(identify('u1'));
    expect(warnings.map((w) => w.name)).toEqual(['SdkNotReadyError']);
    expect(methods()).toEqual(['isUserLoggedIn', 'loginUserWithUserAttributes', 'updateUser']);
  });

  it('M-13: a failed call skips the rest of its event, is reported without arguments, and the session is read again', async () => {
    const { runner, native, methods, warnings } = setup();
    native.fail('setUserHash', 'SET_USER_HASH');
    await runner.event(identify('u1', { integrations: { Intercom: { user_hash: 'secret-hash-value' } } }));
    expect(methods()).toEqual(['isUserLoggedIn', 'setUserHash']);
    expect(warnings.map((w) => w.message)).toEqual(['Intercom setUserHash failed (SET_USER_HASH)']);
    expect(JSON.stringify(warnings)).not.toContain('secret-hash-value');
    await runner.event(identify('u1'));
    expect(methods()).toEqual([
      'isUserLoggedIn',
      'setUserHash',
      'isUserLoggedIn',
      'loginUserWithUserAttributes',
      'updateUser',
    ]);
  });

  it('M-13: after a failed update the same identify is sent again (the state was forgotten)', async () => {
    const { runner, native, methods } = setup();
    native.fail('updateUser', 'E_UPDATE');
    await runner.event(identify('u1'));
    await runner.event(identify('u1'));
    // The login held: the SDK reports u1, so the retry updates without logging in again.
    expect(methods()).toEqual([
      'isUserLoggedIn',
      'loginUserWithUserAttributes',
      'updateUser',
      'isUserLoggedIn',
      'fetchLoggedInUserAttributes',
      'updateUser',
    ]);
  });

  it('M-13: a failed session read is reported and retried with the next event', async () => {
    const { runner, native, methods, warnings } = setup();
    native.fail('isUserLoggedIn', 'E_READ');
    await runner.event(track('Lost'));
    await runner.event(identify('u1'));
    expect(warnings.map((w) => w.message)).toEqual(['Intercom isUserLoggedIn failed (E_READ)']);
    expect(methods()).toEqual([
      'isUserLoggedIn',
      'isUserLoggedIn',
      'loginUserWithUserAttributes',
      'updateUser',
    ]);
  });

  it('M-6: reset logs out without reading the session first', async () => {
    const { runner, methods } = setup();
    await runner.reset();
    expect(methods()).toEqual(['logout']);
  });

  it('idle() settles only after every queued call', async () => {
    const { runner, native, methods } = setup();
    native.hold('logout');
    void runner.reset();
    let settled = false;
    const idle = runner.idle().then(() => {
      settled = true;
    });
    await vi.waitFor(() => expect(methods()).toEqual(['logout']));
    expect(settled).toBe(false);
    native.release('logout');
    await idle;
    expect(settled).toBe(true);
  });
});
