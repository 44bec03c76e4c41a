import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIdCacheContract } from '../../../../../test/delivery-id-cache-contract.js';
import { describeJobStoreContract } from '../../../../../test/delivery-store-contract.js';
import type { IncomingEvent } from '../../enqueue.js';
import { sqliteStorePath } from '../sqlite-store.js';
import { StoreThreadError } from './protocol.js';
import { siblingModule, startModuleThread } from './module-thread.js';
import type { StoreThreadData } from './protocol.js';
import { StoreThreadConnection } from './thread-connection.js';
import { openThreadedSqliteStore, threadedSqliteStore } from './threaded-sqlite-store.js';

let root: string;
let stores = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'threaded-store-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function freshPath(): string {
  stores += 1;
  return sqliteStorePath(path.join(root, `store-${stores}`));
}

// The same semantics as the in-process store, through the thread boundary.
describeJobStoreContract('ThreadedSqliteStore', () => openThreadedSqliteStore({ path: freshPath() }));
describeIdCacheContract('ThreadedSqliteStore', () => openThreadedSqliteStore({ path: freshPath() }));

function tracks(count: number): IncomingEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    sourceId: 's',
    destinationId: 'd',
    receivedAt: '2024-05-01T12:00:00.000Z',
    event: {
      type: 'track',
      messageId: `m-${i}`,
      userId: `u-${i % 50}`,
      event: 'Paid',
      properties: { revenue: 12.5, plan: 'pro', note: 'x'.repeat(200) },
      timestamp: '2024-05-01T12:00:00.000Z',
    },
  }));
}

describe('ThreadedSqliteStore off the event loop', () => {
  it('I-5 the main thread keeps running while an enqueue commits, and answers only after it is durable', async () => {
    const file = freshPath();
    const store = await openThreadedSqliteStore({ path: file });
    try {
      let turns = 0;
      const ticker = setInterval(() => (turns += 1), 0);
      const result = await store.enqueue(tracks(20_000));
      clearInterval(ticker);
      expect(result).toEqual({ stored: 20_000, duplicates: 0, duplicateIndexes: [] });
      // An in-process better-sqlite3 store runs the whole transaction inside the call: no timer fires.
      expect(turns).toBeGreaterThan(0);
      // Committed before the answer: another connection sees every row.
      const db = new Database(file, { readonly: true });
      const { n } = db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number };
      db.close();
      expect(n).toBe(20_000);
    } finally {
      await store.close();
    }
  });

  it('copies the WAL into the database file on its own checkpoint thread, beside the writer', async () => {
    const file = freshPath();
    const store = await openThreadedSqliteStore({ path: file });
    try {
      // ~20 MB of jobs: half the writer's backstop, so only the checkpoint thread moves them into the file.
      await store.enqueue(tracks(20_000));
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < 10 * 1024 * 1024 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(statSync(file).size).toBeGreaterThan(10 * 1024 * 1024);
    } finally {
      await store.close();
    }
  });

  it('I-5 a retried batch is recognised as duplicates across the thread boundary', async () => {
    const store = await openThreadedSqliteStore({ path: freshPath() });
    try {
      expect(await store.enqueue(tracks(10))).toEqual({ stored: 10, duplicates: 0, duplicateIndexes: [] });
      expect(await store.enqueue(tracks(12))).toEqual({
        stored: 2,
        duplicates: 10,
        duplicateIndexes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      });
    } finally {
      await store.close();
    }
  });

  it('rejects opening a database written by a newer version, with the thread’s reason', async () => {
    const file = freshPath();
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(
      'CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (999)',
    );
    db.close();
    const opening = openThreadedSqliteStore({ path: file });
    await expect(opening).rejects.toBeInstanceOf(StoreThreadError);
    await expect(opening).rejects.toMatchObject({
      originalName: 'StoreSchemaError',
      message: expect.stringContaining('schema version 999') as unknown,
    });
  });

  it('I-5 fails waiting and later calls when the thread dies, so nothing unstored is acknowledged', async () => {
    // A stand-in thread that opens, then dies on the first request.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ id: 0, ok: true, value: null });
       parentPort.on('message', () => { throw new Error('disk gone'); });`,
      { eval: true },
    );
    const store = threadedSqliteStore(new StoreThreadConnection(worker));
    await store.opened;
    await expect(store.enqueue(tracks(1))).rejects.toMatchObject({
      name: 'StoreThreadError',
      originalName: 'store_thread_stopped',
    });
    await expect(store.claim({ workerId: 'w', limit: 1, leaseMs: 1000, now: 0 })).rejects.toBeInstanceOf(
      StoreThreadError,
    );
    // The service learns of it (and `serve` exits non-zero for a supervisor to restart it).
    await expect(store.lost).resolves.toMatchObject({ originalName: 'store_thread_stopped' });
  });

  it('serves only the methods of its lists, whatever else the store and id cache objects have', async () => {
    const data: StoreThreadData = { path: freshPath(), checkpoints: 'auto' };
    const connection = new StoreThreadConnection(
      await startModuleThread(siblingModule(import.meta.url, 'store-thread'), data),
    );
    await connection.opened;
    try {
      await expect(connection.call('store', 'toString', [])).rejects.toMatchObject({
        name: 'StoreThreadError',
        message: 'unknown store method toString',
      });
      await expect(connection.call('store', 'idCache', [])).rejects.toBeInstanceOf(StoreThreadError);
      await expect(connection.call('idCache', 'claim', [])).rejects.toMatchObject({
        message: 'unknown store method claim',
      });
      expect(await connection.call('store', 'queueDepth', [0])).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  it('refuses calls after close, which is not a loss', async () => {
    const store = await openThreadedSqliteStore({ path: freshPath() });
    await store.close();
    await expect(store.queueDepth(0)).rejects.toBeInstanceOf(StoreThreadError);
    const settled = await Promise.race([
      store.lost.then(() => 'lost'),
      new Promise((resolve) => setTimeout(() => resolve('pending'), 200)),
    ]);
    expect(settled).toBe('pending');
  });
});
