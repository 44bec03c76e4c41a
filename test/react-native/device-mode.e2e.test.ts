/**
 * Mobile device mode end to end, off-device: the BUILT plugin (dist/react-native, as Metro bundles
 * it) added to the real `@segment/analytics-react-native` client, driving the real
 * `@intercom/intercom-react-native` JavaScript module, whose native side is the recording fake.
 * Every fixture of src/react-native/fixtures must give exactly its native calls.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as segment from '@segment/analytics-react-native';
import type { SegmentClient } from '@segment/analytics-react-native';
import * as fakeReactNative from './fake-react-native.js';
import { nativeIntercom } from './fake-react-native.js';
import type { NativeCall, NativeSession } from './native-intercom.js';
import { loadCommonJs } from './commonjs-loader.js';
import type * as pluginSource from '../../src/react-native/index.js';
import {
  createTestClient,
  drive,
  startSettingsServer,
  whenRunning,
  type SettingsServer,
  type Step,
} from './segment-harness.js';

type PluginModule = typeof pluginSource;

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixturesDir = path.join(root, 'src/react-native/fixtures');

interface Fixture {
  readonly title: string;
  readonly options?: Record<string, unknown>;
  readonly segmentSettings?: Record<string, unknown>;
  readonly session?: NativeSession;
  readonly steps: readonly Step[];
  readonly calls: readonly NativeCall[];
}

/** The native reads the plugin makes first (M-2): is anybody logged in, and who. */
function sessionReads(session: NativeSession | undefined): NativeCall[] {
  return session === undefined || session.kind === 'none'
    ? [['isUserLoggedIn']]
    : [['isUserLoggedIn'], ['fetchLoggedInUserAttributes']];
}

let server: SettingsServer;
let built: PluginModule;
const clients: SegmentClient[] = [];

/** A client with the plugin added, as an app sets it up. */
function appWith(plugin: segment.Plugin, intercomSettings: Record<string, unknown> | null = {}) {
  const { client, logger } = createTestClient(
    server,
    intercomSettings === null ? {} : { Intercom: intercomSettings },
  );
  clients.push(client);
  client.add({ plugin });
  return { client, logger };
}

beforeAll(async () => {
  server = await startSettingsServer();
  // The file Metro would bundle, built by the global setup (scripts/build-react-native.mjs).
  built = (await import(pathToFileURL(path.join(root, 'dist/react-native/index.js')).href)) as PluginModule;
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  // The library warns on every client that its settings URL is plain HTTP: true, and expected here.
  const warn = console.warn.bind(console);
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('cdnProxy is using http://')) warn(...args);
  });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.cleanup();
  vi.restoreAllMocks();
});

describe('the built plugin with the real Segment client and Intercom module (fixtures)', () => {
  const files = readdirSync(fixturesDir)
    .filter((file) => file.endsWith('.json'))
    .sort();

  it('runs every fixture of the planner', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  for (const file of files) {
    const fixture = JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')) as Fixture;
    it(`${file.replace('.json', '')}: exactly these native calls`, async () => {
      nativeIntercom.reset(fixture.session);
      const plugin = new built.IntercomPlugin(fixture.options ?? {});
      const { client, logger } = appWith(plugin, fixture.segmentSettings ?? {});
      await whenRunning(client);
      for (const step of fixture.steps) await drive(client, step);
      await client.flush();
      expect(nativeIntercom.calls).toEqual([...sessionReads(fixture.session), ...fixture.calls]);
      expect(logger.lines.filter((line) => line.includes('Intercom'))).toEqual([]);
    });
  }
});

describe('M-1 the Segment timeline and the Intercom key', () => {
  it('M-1: events with integrations {Intercom: false} never reach the plugin', async () => {
    nativeIntercom.reset();
    const plugin = new built.IntercomPlugin();
    const identify = vi.spyOn(plugin, 'identify');
    const track = vi.spyOn(plugin, 'track');
    const { client } = appWith(plugin);
    await whenRunning(client);
    const off = (event: segment.SegmentEvent) => ({ ...event, integrations: { Intercom: false } });
    await client.identify('u1', { email: 'ada@example.com' }, off);
    await client.track('Signed In', {}, off);
    await client.track('Kept');
    await client.flush();
    expect(identify).not.toHaveBeenCalled();
    expect(track.mock.calls.map(([event]) => event.event)).toEqual(['Kept']);
  });

  it("M-1: without an Intercom entry in Segment's settings the plugin gets nothing and calls nothing", async () => {
    nativeIntercom.reset();
    const plugin = new built.IntercomPlugin();
    const identify = vi.spyOn(plugin, 'identify');
    const { client } = appWith(plugin, null);
    await whenRunning(client);
    await client.identify('u1', { email: 'ada@example.com' });
    await client.flush();
    expect(identify).not.toHaveBeenCalled();
    expect(nativeIntercom.calls).toEqual([]);
  });
  it("M-1: added with settings of its own, the plugin runs whatever Segment's settings hold", async () => {
    nativeIntercom.reset();
    const { client } = createTestClient(server, {});
    clients.push(client);
    client.add({ plugin: new built.IntercomPlugin(), settings: { richLinkProperties: ['doc'] } });
    await whenRunning(client);
    await client.identify('u1');
    await client.track('Read', { doc: { url: 'https://example.com/d', value: 'D' } });
    await client.flush();
    expect(nativeIntercom.calls).toEqual([
      ['isUserLoggedIn'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['logEvent', 'Read', { doc: { url: 'https://example.com/d', value: 'D' } }],
    ]);
  });
});

describe('M-2 nothing is lost before the SDK is ready', () => {
  it('M-2: events sent before the client is ready reach the SDK, in order', async () => {
    nativeIntercom.reset();
    const { client } = appWith(new built.IntercomPlugin());
    expect(client.isReady.value).toBe(false);
    void client.identify('u1', { plan: 'pro' });
    void client.track('Opened Early');
    await vi.waitFor(() =>
      expect(nativeIntercom.calls).toEqual([
        ['isUserLoggedIn'],
        ['loginUserWithUserAttributes', { userId: 'u1' }],
        ['updateUser', { customAttributes: { plan: 'pro' } }],
        ['logEvent', 'Opened Early', {}],
      ]),
    );
    await client.flush();
    expect(nativeIntercom.calls).toHaveLength(4);
  });

  it('M-2: a track sent while the login is in flight is logged after the login resolved', async () => {
    nativeIntercom.reset();
    const { client } = appWith(new built.IntercomPlugin());
    await whenRunning(client);
    nativeIntercom.hold('loginUserWithUserAttributes');
    // Awaited: the client itself may hand an un-awaited track to destinations before the identify
    // sent just before it (it stores the identify's user first).
    await client.identify('u1');
    await client.track('Clicked');
    await vi.waitFor(() =>
      expect(nativeIntercom.calls.map((call) => call[0])).toContain('loginUserWithUserAttributes'),
    );
    // Every queued turn has run by now; the track still waits for the login.
    await new Promise<void>((resolve) => {
      setTimeout(() => resolve(), 0);
    });
    expect(nativeIntercom.calls.map((call) => call[0])).toEqual([
      'isUserLoggedIn',
      'loginUserWithUserAttributes',
    ]);
    nativeIntercom.release('loginUserWithUserAttributes');
    await client.flush();
    expect(nativeIntercom.calls).toEqual([
      ['isUserLoggedIn'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['logEvent', 'Clicked', {}],
    ]);
  });

  it('the client may deliver an un-awaited track before the identify sent just before it (why the README says await)', async () => {
    nativeIntercom.reset();
    const plugin = new built.IntercomPlugin();
    const identify = vi.spyOn(plugin, 'identify');
    const track = vi.spyOn(plugin, 'track');
    const { client } = appWith(plugin);
    await whenRunning(client);
    await Promise.all([client.identify('u1'), client.track('Clicked')]);
    await client.flush();
    const [identified] = identify.mock.invocationCallOrder;
    const [tracked] = track.mock.invocationCallOrder;
    // Documents the library's behaviour the README warns about; if it changes, the note can go.
    expect(tracked).toBeLessThan(identified ?? 0);
  });

  it("M-2: with sdkReady (the app's Intercom.initialize), no SDK call happens before it settles", async () => {
    nativeIntercom.reset();
    let initialized: () => void = () => undefined;
    const sdkReady = new Promise<void>((resolve) => {
      initialized = resolve;
    });
    const { client } = appWith(new built.IntercomPlugin({ sdkReady }));
    await whenRunning(client);
    await client.identify('u1');
    await client.track('Waiting');
    expect(nativeIntercom.calls).toEqual([]);
    initialized();
    await client.flush();
    expect(nativeIntercom.calls).toEqual([
      ['isUserLoggedIn'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['logEvent', 'Waiting', {}],
    ]);
  });
});

describe('M-13 failures', () => {
  it('M-13: a failed login is logged by method and code only, and the next identify logs in again', async () => {
    nativeIntercom.reset();
    const { client, logger } = appWith(new built.IntercomPlugin());
    await whenRunning(client);
    nativeIntercom.fail('loginUserWithUserAttributes', 'E_HMAC');
    const verified = (event: segment.SegmentEvent) => ({
      ...event,
      integrations: { Intercom: { user_hash: 'f00dfeedsecret' } },
    });
    await client.identify('u1', { plan: 'pro' }, verified);
    await client.track('Lost');
    await client.identify('u1', { plan: 'pro' }, verified);
    await client.flush();
    expect(logger.lines).toEqual(['warn Intercom loginUserWithUserAttributes failed (E_HMAC)']);
    expect(logger.lines.join('\n')).not.toContain('f00dfeedsecret');
    expect(nativeIntercom.calls).toEqual([
      ['isUserLoggedIn'],
      ['setUserHash', 'f00dfeedsecret'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      // The failure forgot the state: the SDK is asked again, nobody is logged in, the track is dropped.
      ['isUserLoggedIn'],
      ['setUserHash', 'f00dfeedsecret'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['updateUser', { customAttributes: { plan: 'pro' } }],
    ]);
  });
});

describe('the CommonJS build (require)', () => {
  it("M-6: drives the SDK through Intercom's CommonJS build like the ES module build does", async () => {
    nativeIntercom.reset();
    const intercomCommonJs = loadCommonJs(
      path.join(root, 'node_modules/@intercom/intercom-react-native/lib/commonjs/index.js'),
      { 'react-native': fakeReactNative },
    );
    const required = loadCommonJs(path.join(root, 'dist/react-native/index.cjs'), {
      '@segment/analytics-react-native': segment,
      '@intercom/intercom-react-native': intercomCommonJs,
    }) as PluginModule;
    const { client } = appWith(new required.IntercomPlugin());
    await whenRunning(client);
    await client.identify('u1', { email: 'one@example.com' });
    await client.identify('u2', { email: 'two@example.com' });
    await client.flush();
    expect(nativeIntercom.calls).toEqual([
      ['isUserLoggedIn'],
      ['loginUserWithUserAttributes', { userId: 'u1' }],
      ['updateUser', { email: 'one@example.com' }],
      ['logout'],
      ['loginUserWithUserAttributes', { userId: 'u2' }],
      ['updateUser', { email: 'two@example.com' }],
    ]);
  });
});
