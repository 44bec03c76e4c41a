import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, dataDirLockPath, lockDataDir } from './data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A separate process holding the lock of `dir` the way `serve` does, until it is killed. */
async function holder(): Promise<{ kill(): Promise<void> }> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(dataDirLockPath(dir))}, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.once('exit', () => reject(new Error('the holder exited before locking')));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('lockDataDir', () => {
  it('takes the directory and gives it back', async () => {
    const unlock = await lockDataDir(dir, { waitMs: 0 });
    unlock();
    (await lockDataDir(dir, { waitMs: 0 }))();
  });

  it('refuses at once a directory this process already holds', async () => {
    const unlock = await lockDataDir(dir, { waitMs: 0 });
    const started = Date.now();
    await expect(lockDataDir(dir, { waitMs: 0 })).rejects.toThrow(DataDirLockedError);
    expect(Date.now() - started).toBeLessThan(1_000);
    unlock();
  });

  it('refuses a directory another live process holds, after waiting the given time', async () => {
    const other = await holder();
    try {
      const started = Date.now();
      await expect(lockDataDir(dir, { waitMs: 300, pollMs: 50 })).rejects.toThrow(
        `${dir} is held by another serve process`,
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      await other.kill();
    }
  });

  it('takes the directory at once after its holder was killed with SIGKILL (the kernel drops the lock)', async () => {
    const other = await holder();
    await other.kill();
    const unlock = await lockDataDir(dir, { waitMs: 0 });
    unlock();
  });

  it('waits for a holder that goes away within the wait', async () => {
    const other = await holder();
    const taking = lockDataDir(dir, { waitMs: 10_000, pollMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await other.kill();
    (await taking)();
  });
});
