/**
 * The demo page's script: bundled from the source with esbuild when this is a source checkout (so it
 * is always current, and no build step is needed for `npm start`), else read from the build output
 * (`npm run build` writes `dist/browser/demo.js`). Everything is local: the page loads nothing from a CDN.
 */
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { SandboxError } from '../sandbox-error.js';

/** The demo script could be neither bundled nor found prebuilt. */
export class DemoScriptUnavailableError extends SandboxError {
  override readonly name = 'DemoScriptUnavailableError';
}

/** Returns the demo script's JavaScript, building it once on first use. */
export type DemoScriptLoader = () => Promise<string>;

/** Where to look, relative to this file in `src/sandbox/messenger/` or `dist/node/sandbox/messenger/`. */
const up = new URL('../../../', import.meta.url);
const SOURCE_ENTRY = new URL('src/browser/demo/demo-entry.ts', up);
const PREBUILT = [new URL('browser/demo.js', up), new URL('dist/browser/demo.js', up)];

async function exists(url: URL): Promise<boolean> {
  try {
    await access(url);
    return true;
  } catch {
    return false;
  }
}

/** Bundles the demo entry with esbuild (a development dependency, hence imported only when needed). */
async function bundleFromSource(): Promise<string | undefined> {
  if (!(await exists(SOURCE_ENTRY))) return undefined;
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(SOURCE_ENTRY)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0]?.text;
}

async function readPrebuilt(): Promise<string | undefined> {
  for (const url of PREBUILT) {
    if (await exists(url)) return readFile(url, 'utf8');
  }
  return undefined;
}

/** Creates a loader that builds (or reads) the demo script once and then serves it from memory. */
export function createDemoScriptLoader(): DemoScriptLoader {
  let script: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    try {
      const text = (await bundleFromSource()) ?? (await readPrebuilt());
      if (text !== undefined) return text;
    } catch (error: unknown) {
      throw new DemoScriptUnavailableError('The demo script failed to build', { cause: error });
    }
    throw new DemoScriptUnavailableError('The demo script is not built: run `npm run build`');
  };
  return () => {
    // A failure is not cached, so fixing the cause and reloading the page works.
    script ??= load().catch((error: unknown) => {
      script = undefined;
      throw error;
    });
    return script;
  };
}
