// Builds the device-mode plugin for browsers into dist/browser/:
//   index.js                  ESM, es2022, minified — the package's "./browser" export
//   intercom-plugin.iife.js   script-tag build exposing the global `IntercomDestination`
//   types/browser/index.d.ts  type declarations of the "./browser" export
// and prints each file's size: raw (unminified bundle), minified, minified + gzip.
// Usage: node scripts/build-browser.mjs [--json]
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { minify as terser } from 'terser';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}/dist/browser`;

/** esbuild options shared by every output. */
const common = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  write: false,
  legalComments: 'none',
  logLevel: 'warning',
};

const outputs = [
  { file: 'index.js', entry: 'src/browser/index.ts', format: 'esm' },
  {
    file: 'intercom-plugin.iife.js',
    entry: 'src/browser/index.ts',
    format: 'iife',
    globalName: 'IntercomDestination',
  },
];

/**
 * Device mode discards mapping warnings, so the plugin bundles get empty warning texts instead of
 * `src/mapping/warning-details.ts` (the texts stay in the cloud-mode code and the dry run).
 */
const emptyWarningDetails = {
  name: 'empty-warning-details',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]src[\\/]mapping[\\/]warning-details\.ts$/ }, async (args) => {
      // The module holds only `key: 'text'` entries: blank every text, keep every key.
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/:\s*'(?:[^'\\]|\\.)*'/g, ": ''"), loader: 'ts' };
    });
  },
};

/** Bundles one output; minified with esbuild's syntax pass, then terser (about 2 % smaller gzipped). */
async function bundle(output, minify) {
  const result = await build({
    ...common,
    entryPoints: [`${root}/${output.entry}`],
    format: output.format,
    ...(output.globalName ? { globalName: output.globalName } : {}),
    plugins: [emptyWarningDetails],
    minifySyntax: minify,
  });
  const code = result.outputFiles[0].text;
  if (!minify) return Buffer.from(code);
  const minified = await terser(code, {
    module: output.format === 'esm',
    ecma: 2020,
    compress: { passes: 3 },
    mangle: true,
  });
  return Buffer.from(minified.code ?? '');
}

await mkdir(outDir, { recursive: true });
const sizes = [];
for (const output of outputs) {
  const raw = await bundle(output, false);
  const minified = await bundle(output, true);
  await writeFile(`${outDir}/${output.file}`, minified);
  sizes.push({
    file: `dist/browser/${output.file}`,
    rawBytes: raw.byteLength,
    minBytes: minified.byteLength,
    gzipBytes: gzipSync(minified, { level: 9 }).byteLength,
  });
}

// Declarations come from the compiler itself (esbuild strips types without checking them).
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', `${root}/src/browser/tsconfig.types.json`], { stdio: 'inherit' });

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(sizes, null, 2));
} else {
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
  for (const s of sizes) {
    console.log(
      `${s.file}: raw ${kb(s.rawBytes)}, minified ${kb(s.minBytes)}, minified+gzip ${kb(s.gzipBytes)}`,
    );
  }
}
