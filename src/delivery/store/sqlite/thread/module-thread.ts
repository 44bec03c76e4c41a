import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module at `url`. A compiled `.js` module runs as it is. A `.ts`
 * module (running from source: `npm start`, the tests) is first bundled into one CommonJS script with
 * its packages left as absolute requires, because worker threads do not inherit the TypeScript
 * loader, and registering it in each thread would cost two more JavaScript heaps (the thread's own
 * and its loader's) — about 30 MB.
 */
export async function startModuleThread(
  url: URL,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Promise<Worker> {
  const options = { workerData, ...(resourceLimits === undefined ? {} : { resourceLimits }) };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  return new Worker(await bundled(url), { ...options, eval: true });
}

/** The sibling module `name` (without extension) in the flavour this module runs as: `.ts` or `.js`. */
export function siblingModule(base: string, name: string): URL {
  const extension = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, base);
}

const bundles = new Map<string, Promise<string>>();

function bundled(url: URL): Promise<string> {
  let script = bundles.get(url.href);
  if (script === undefined) {
    script = bundle(fileURLToPath(url));
    bundles.set(url.href, script);
  }
  return script;
}

async function bundle(entry: string): Promise<string> {
  // esbuild comes with the TypeScript tooling that running from source needs anyway.
  const { build } = await import('esbuild');
  const require = createRequire(entry);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-by-absolute-path',
        setup(context) {
          // An eval'd script has no location to resolve packages from.
          context.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith('node:')
              ? { external: true }
              : { path: require.resolve(args.path), external: true },
          );
        },
      },
    ],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new TypeError(`bundling ${entry} gave no output`);
  return output.text;
}
