import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('takes the directory and gives it back', () => {
    const unlock = lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'serve.pid'), 'utf8')).toBe(String(process.pid));
    unlock();
    expect(existsSync(path.join(dir, 'serve.pid'))).toBe(false);
  });

  it('refuses a directory held by another live process', () => {
    // The parent of this test process is alive for the whole test.
    writeFileSync(path.join(dir, 'serve.pid'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
  });

  it('takes over a lock left by a dead process', () => {
    writeFileSync(path.join(dir, 'serve.pid'), '2147483646');
    const unlock = lockDataDir(dir);
    expect(readFileSync(path.join(dir, 'serve.pid'), 'utf8')).toBe(String(process.pid));
    unlock();
  });
});
