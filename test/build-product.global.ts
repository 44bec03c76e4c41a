import { execFileSync } from 'node:child_process';

/**
 * Compiles the server into dist/node/ once before the tests, as `npm start` does before it runs, so
 * the tests that start `serve` as a process run the same files users run.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-node.mjs', '--quiet'], { stdio: 'inherit' });
}
