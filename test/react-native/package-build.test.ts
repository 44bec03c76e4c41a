/**
 * `npm run build`'s React Native output, as an app would consume it: every target of the package's
 * `./react-native` export exists, and app code type-checks against the emitted declarations together
 * with the current types of both SDKs (strict, and without skipping any declaration file).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository (.tmp/ is ignored by git) so that the app code finds node_modules.
const outDir = path.join(root, '.tmp', `react-native-build-${process.pid}`);

/** App code using the plugin the way the README shows; the last lines must not compile. */
const APP = `
import { createClient } from '@segment/analytics-react-native';
import Intercom from '@intercom/intercom-react-native';
import { IntercomPlugin, type SdkCall } from './types/react-native/index.js';

const segmentClient = createClient({ writeKey: 'SEGMENT_WRITE_KEY' });
segmentClient.add({
  plugin: new IntercomPlugin({
    registerUnidentifiedUsers: true,
    sdkReady: Intercom.initialize('ios_sdk-0000', 'app-id'),
  }),
});
export const logout: SdkCall = ['logout'];
// @ts-expect-error an option of the wrong type is refused
export const wrong = new IntercomPlugin({ registerUnidentifiedUsers: 'yes' });
// @ts-expect-error the plugin is a Segment destination plugin, not any value
export const notAPlugin: number = new IntercomPlugin();
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    lib: ['ES2022'],
    types: [],
    module: 'ESNext',
    // What Metro does: package exports with the `react-native` condition.
    moduleResolution: 'Bundler',
    customConditions: ['react-native'],
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
  },
  files: ['app.ts'],
};

interface ExportConditions {
  readonly types: string;
  readonly 'react-native': string;
  readonly import: string;
  readonly require: string;
}

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-react-native.mjs', '--out-dir', outDir, '--quiet'], {
    cwd: root,
    stdio: 'inherit',
  });
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('the built React Native plugin package', () => {
  it('has a file for every condition of the ./react-native export', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, ExportConditions>;
    };
    const conditions = pkg.exports['./react-native'];
    if (conditions === undefined) throw new TypeError('package.json has no ./react-native export');
    expect(Object.keys(conditions)).toEqual(['types', 'react-native', 'import', 'require']);
    const targets: string[] = Object.values(conditions);
    for (const target of targets) {
      expect(target.startsWith('./dist/react-native/')).toBe(true);
      expect(existsSync(path.join(outDir, target.slice('./dist/react-native/'.length))), target).toBe(true);
    }
  });

  it('keeps both SDKs, react-native and react out of the bundle (peer dependencies)', () => {
    const esm = readFileSync(path.join(outDir, 'index.js'), 'utf8');
    const imported = [...esm.matchAll(/\sfrom "([^"]+)";$/gm)].map((m) => m[1]);
    expect(imported.sort()).toEqual(['@intercom/intercom-react-native', '@segment/analytics-react-native']);
    const cjs = readFileSync(path.join(outDir, 'index.cjs'), 'utf8');
    const required = [...cjs.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.sort()).toEqual(['@intercom/intercom-react-native', '@segment/analytics-react-native']);
  });

  it('type-checks app code against the declarations and both SDKs, rejecting wrong uses', () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'app.ts'), APP);
    writeFileSync(path.join(outDir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const run = () =>
      execFileSync(process.execPath, [tsc, '-p', path.join(outDir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(run).not.toThrow();
  }, 120_000);
});
