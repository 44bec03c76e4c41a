import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running the module at `url`. A `.ts` module (running from source, under tsx
 * or the test runner) is loaded through tsx, which worker threads do not inherit; a compiled `.js`
 * module runs as it is.
 */
export function startModuleThread(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const bootstrap = `import('tsx/esm/api')
    .then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })
    .catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** The sibling module `name` (without extension) in the flavour this module runs as: `.ts` or `.js`. */
export function siblingModule(base: string, name: string): URL {
  const extension = base.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, base);
}
