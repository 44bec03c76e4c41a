import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/segment/json.js';
import type {
  INITIAL_MESSENGER_STATE,
  planMessengerCalls,
  planReset,
} from '../../src/browser/plan-messenger-calls.js';
import type { resolveMessengerConfig } from '../../src/browser/plugin-settings.js';
import { toSegmentEvent } from '../../src/mapping/library-event.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixturesDir = path.join(root, 'src/browser/fixtures');

interface Fixture {
  readonly settings?: { readonly appId: string };
  readonly steps: readonly ({ readonly event: JsonValue } | { readonly reset: true })[];
  readonly calls: readonly JsonValue[];
}

interface SizeReport {
  readonly file: string;
  readonly gzipBytes: number;
}

let sizes: readonly SizeReport[];
/** The pure part of the built module's exports (the DOM part needs a browser: test/browser/device-mode). */
interface BuiltPlanner {
  readonly resolveMessengerConfig: typeof resolveMessengerConfig;
  readonly planMessengerCalls: typeof planMessengerCalls;
  readonly planReset: typeof planReset;
  readonly INITIAL_MESSENGER_STATE: typeof INITIAL_MESSENGER_STATE;
}

let built: BuiltPlanner;

beforeAll(async () => {
  // The real build: esbuild, the blank warning texts and terser, as `npm run build` runs it.
  const out = execFileSync(process.execPath, ['scripts/build-browser.mjs', '--json'], {
    cwd: root,
    encoding: 'utf8',
  });
  sizes = JSON.parse(out.slice(out.indexOf('['))) as SizeReport[];
  built = (await import(pathToFileURL(path.join(root, 'dist/browser/index.js')).href)) as BuiltPlanner;
}, 120_000);

describe('the built plugin bundle (dist/browser/index.js)', () => {
  it('stays within 4 KB minified and gzipped', () => {
    const plugin = sizes.find((s) => s.file === 'dist/browser/index.js');
    expect(plugin?.gzipBytes).toBeLessThanOrEqual(4096);
  });

  it('plans exactly the Messenger calls of every D-rule fixture, like the source', () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const fixture = JSON.parse(readFileSync(path.join(fixturesDir, file), 'utf8')) as Fixture;
      const config = built.resolveMessengerConfig(fixture.settings ?? { appId: 'app123' });
      let state = built.INITIAL_MESSENGER_STATE;
      const calls: JsonValue[] = [];
      for (const step of fixture.steps) {
        const event = 'reset' in step ? undefined : toSegmentEvent(step.event);
        const result =
          event === undefined ? built.planReset() : built.planMessengerCalls(event, state, config);
        calls.push(...(result.calls as unknown as JsonValue[]));
        state = result.state;
      }
      expect(calls, file).toEqual(fixture.calls);
    }
  });
});
