import { execFileSync } from 'node:child_process';

/**
 * Compiles the server into dist/node/ once before the tests, as `npm start` does before it runs, so
 * the tests that start `serve` as a process run the same files users run; and bundles the React
 * Native plugin into dist/react-native/ (without declarations, for speed), so its end-to-end test
 * runs the files Metro would.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-node.mjs', '--quiet'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-react-native.mjs', '--no-types', '--quiet'], {
    stdio: 'inherit',
  });
}
