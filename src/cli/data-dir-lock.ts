import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

/** Thrown when another live process already serves from the same data directory. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(readonly dataDir: string) {
    super(
      `${dataDir} is held by another serve process: one serve per DATA_DIR (set DATABASE_URL to share a PostgreSQL queue between processes)`,
    );
  }
}

/** The file whose lock says which process serves from a data directory. */
export function dataDirLockPath(dataDir: string): string {
  return path.join(dataDir, 'serve.lock');
}

/** How long to wait for a data directory held by another process. */
export interface LockOptions {
  /**
   * Keep trying this long before giving up (default 1 s): a predecessor killed a moment ago may still
   * be exiting (finishing an fsync, for one), and its lock goes only with it.
   */
  readonly waitMs?: number;
  readonly pollMs?: number;
}

/** One attempt: the open connection holding the lock, or undefined when another one holds it. */
function tryLock(file: string): Database.Database | undefined {
  // timeout 0: a held lock answers SQLITE_BUSY at once instead of waiting inside SQLite.
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error: unknown) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
}

/**
 * Takes the data directory for this process. The embedded SQLite queue has one worker process, which
 * is what makes it safe to hand back a predecessor's leases at once instead of after they expire.
 * The lock is SQLite's own exclusive lock on `serve.lock` (an advisory `fcntl` lock underneath), held
 * by an open transaction for as long as the process lives: the kernel drops it when its holder dies,
 * however it dies, so a restart right after a SIGKILL never finds a stale lock. Resolves to the
 * function that gives the lock back.
 */
export async function lockDataDir(dataDir: string, options: LockOptions = {}): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true });
  const file = dataDirLockPath(dataDir);
  const deadline = Date.now() + (options.waitMs ?? 1_000);
  for (;;) {
    const db = tryLock(file);
    if (db !== undefined) {
      return () => {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      };
    }
    if (Date.now() >= deadline) throw new DataDirLockedError(dataDir);
    await sleep(options.pollMs ?? 100);
  }
}
