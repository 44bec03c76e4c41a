#!/usr/bin/env node
// The `intercom-destination` command (`npx intercom-destination <command>`). In a source checkout
// (src/ and the compiler present) it first brings dist/node/ up to date, as `npm start` does, so it
// always runs the current code; in a production install (`npm ci --omit=dev` beside a prebuilt dist/)
// or an installed package it runs the prebuilt dist/ as it is.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const buildScript = fileURLToPath(new URL('scripts/build-node.mjs', root));

/** True when this is a checkout that can compile itself (the compiler is a development dependency). */
function canBuild() {
  if (!existsSync(new URL('src/cli/main.ts', root)) || !existsSync(buildScript)) return false;
  try {
    createRequire(import.meta.url).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

if (canBuild()) execFileSync(process.execPath, [buildScript, '--quiet'], { stdio: 'inherit' });
const main = new URL('dist/node/cli/main.js', root);
if (!existsSync(main)) {
  process.stderr.write(
    `intercom-destination: ${fileURLToPath(main)} is missing: build it with "npm run build" (needs the development dependencies)\n`,
  );
  process.exit(1);
}
await import(main.href);
