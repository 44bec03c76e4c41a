import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** The repository this test suite runs in. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * Copies what a fresh clone of this checkout holds (every file git tracks, plus new files it does not
 * ignore; no `dist/`, no `data/`, no `node_modules/`) into `target`.
 */
export function copyCheckout(target: string): void {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
  });
  for (const file of listed.toString('utf8').split('\0')) {
    if (file === '') continue;
    const to = path.join(target, file);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), to, { dereference: false, errorOnExist: false });
  }
}

/**
 * Points `target/node_modules` at this checkout's installed dependencies: what `npm ci` would install
 * from the same lock file (CI runs that `npm ci` before the tests), without a second install.
 */
export function linkDependencies(target: string): void {
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
}
