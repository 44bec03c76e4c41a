/**
 * The demo page's script, bundled by the build that `npm start` and `npm run build` run
 * (`scripts/build-node.mjs`) into `dist/node/sandbox/messenger/demo.js`, beside the compiled module
 * that serves it: the demo works from a fresh clone and in a production install without a compiler.
 * Run from source (the tests, after their global setup has built), it is read from that same build
 * output. Everything is local: the page loads nothing from a CDN.
 */
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SandboxError } from '../sandbox-error.js';

/** The demo script has not been built. */
export class DemoScriptUnavailableError extends SandboxError {
  override readonly name = 'DemoScriptUnavailableError';
}

/** Returns the demo script's JavaScript, reading it once on first use. */
export type DemoScriptLoader = () => Promise<string>;

/**
 * Where the build puts the bundle: beside this module when it is the compiled one, and in the build
 * output of the same checkout when this is the source (`src/sandbox/messenger/` → `dist/node/…`).
 */
const CANDIDATES = [
  new URL('./demo.js', import.meta.url),
  new URL('../../../dist/node/sandbox/messenger/demo.js', import.meta.url),
];

async function exists(url: URL): Promise<boolean> {
  try {
    await access(url);
    return true;
  } catch {
    return false;
  }
}

/** Creates a loader that reads the built demo script once and then serves it from memory. */
export function createDemoScriptLoader(): DemoScriptLoader {
  let script: Promise<string> | undefined;
  const load = async (): Promise<string> => {
    for (const url of CANDIDATES) if (await exists(url)) return readFile(url, 'utf8');
    throw new DemoScriptUnavailableError(
      `The demo script is not built (looked for ${CANDIDATES.map((url) => fileURLToPath(url)).join(', ')}): run npm run build`,
    );
  };
  return () => {
    // A failure is not cached, so building and reloading the page works.
    script ??= load().catch((error: unknown) => {
      script = undefined;
      throw error;
    });
    return script;
  };
}
