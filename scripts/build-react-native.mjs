// Builds the mobile device-mode plugin for React Native's bundler (Metro) into dist/react-native/:
//   index.js                       ES module, the package's "./react-native" export for Metro and `import`
//   index.cjs                      CommonJS, for `require`
//   types/react-native/index.d.ts  type declarations of the "./react-native" export
// The two SDKs the app provides (@segment/analytics-react-native, @intercom/intercom-react-native),
// react-native and react stay imports: they are peer dependencies, never bundled. The shared mapping
// rules are bundled in, so the plugin has no other runtime dependency. Not minified: Metro minifies the app.
//
// Usage: node scripts/build-react-native.mjs [--out-dir DIR] [--no-types] [--quiet]
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    'out-dir': { type: 'string', default: resolve(root, 'dist/react-native') },
    'no-types': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});
const outDir = resolve(values['out-dir']);

/** Packages the app provides. */
const PEERS = ['@segment/analytics-react-native', '@intercom/intercom-react-native', 'react-native', 'react'];

/** esbuild options both outputs share. */
const common = {
  bundle: true,
  // Hermes and the JavaScriptCore of older iOS releases; Metro's Babel pass lowers the rest.
  target: 'es2020',
  platform: 'neutral',
  external: PEERS,
  legalComments: 'none',
  logLevel: 'warning',
};

const started = performance.now();
await mkdir(outDir, { recursive: true });
const esm = await build({
  ...common,
  entryPoints: [resolve(root, 'src/react-native/index.ts')],
  format: 'esm',
  write: false,
});
const esmText = esm.outputFiles[0].text;
await writeFile(resolve(outDir, 'index.js'), esmText);
// The CommonJS build is made from the ES module build read as stdin, outside this package: a source
// file of a `"type": "module"` package would make esbuild import the SDK's CommonJS build with Node's
// rules (`default` = the whole `module.exports`) instead of Babel's (`default` = `exports.default`),
// and `Intercom` would not be the SDK object under `require` (e.g. an app's Jest tests).
await build({
  ...common,
  stdin: { contents: esmText, resolveDir: outDir, sourcefile: 'index.js', loader: 'js' },
  format: 'cjs',
  outfile: resolve(outDir, 'index.cjs'),
});

// Declarations come from the compiler itself (esbuild strips types without checking them).
if (!values['no-types']) {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', resolve(root, 'src/react-native/tsconfig.types.json'), '--outDir', resolve(outDir, 'types')],
    { stdio: 'inherit' },
  );
}
if (!values.quiet) {
  console.log(`react-native plugin built into ${outDir} in ${Math.round(performance.now() - started)} ms`);
}
