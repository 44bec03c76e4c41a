import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeJobStoreContract } from '../../../../test/delivery-store-contract.js';
import type { SegmentEvent } from '../../../segment/event.js';
import type { SqliteJobStore } from './sqlite-store.js';
import Database from 'better-sqlite3';
import { NEW_DATABASE_PAGE_BYTES, openSqliteStore, sqliteStorePath } from './sqlite-store.js';

const T0 = 1_714_564_800_000;
const LEASE = 30_000;

let root: string;
let stores = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'delivery-store-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeJobStoreContract('SqliteJobStore', () => {
  stores += 1;
  return Promise.resolve(openSqliteStore({ path: sqliteStorePath(path.join(root, `store-${stores}`)) }));
});

describe('SqliteJobStore on disk', () => {
  let dir: string;
  let store: SqliteJobStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'delivery-store-disk-'));
    store = openSqliteStore({ path: sqliteStorePath(dir) });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function track(messageId: string, userId: string): SegmentEvent {
    return { type: 'track', messageId, userId, event: 'Paid', timestamp: '2024-05-01T12:00:00.000Z' };
  }

  async function enqueue(...events: SegmentEvent[]): Promise<void> {
    await store.enqueue(
      events.map((event) => ({
        sourceId: 's',
        destinationId: 'd',
        event,
        receivedAt: '2024-05-01T12:00:00.000Z',
      })),
    );
  }

  async function claimIds(now: number, workerId = 'w1'): Promise<string[]> {
    return (await store.claim({ workerId, limit: 10, leaseMs: LEASE, now })).map((job) => job.messageId);
  }

  it('keeps every stored job across a reopen of the same file', async () => {
    await enqueue(track('a1', 'a'), track('b1', 'b'));
    expect(await claimIds(T0, 'crashed')).toEqual(['a1', 'b1']);
    await store.close();
    store = openSqliteStore({ path: sqliteStorePath(dir) });
    expect(await claimIds(T0 + 1)).toEqual([]);
    expect(await claimIds(T0 + LEASE)).toEqual(['a1', 'b1']);
  });

  it('a restarted sole worker takes back a killed predecessor’s leases at once', async () => {
    await enqueue(track('a1', 'a'));
    expect(await claimIds(T0, 'killed')).toEqual(['a1']);
    await store.close();
    store = openSqliteStore({ path: sqliteStorePath(dir) });
    expect(await store.releaseAllLeases()).toBe(1);
    expect(await claimIds(T0 + 1)).toEqual(['a1']);
  });

  function pageBytes(file: string): number {
    const db = new Database(file, { readonly: true });
    try {
      return db.pragma('page_size', { simple: true }) as number;
    } finally {
      db.close();
    }
  }

  it('makes a new file with large pages and keeps the page size of an existing one', async () => {
    expect(pageBytes(sqliteStorePath(dir))).toBe(NEW_DATABASE_PAGE_BYTES);
    const older = mkdtempSync(path.join(tmpdir(), 'delivery-store-older-'));
    const file = sqliteStorePath(older);
    const made = new Database(file);
    made.pragma('page_size = 4096');
    made.pragma('journal_mode = WAL');
    made.exec('CREATE TABLE kept (id INTEGER)');
    made.close();
    const reopened = openSqliteStore({ path: file, checkpoints: 'external' });
    try {
      await reopened.enqueue([
        {
          sourceId: 's',
          destinationId: 'd',
          event: track('o1', 'o'),
          receivedAt: '2024-05-01T12:00:00.000Z',
        },
      ]);
      const claimed = await reopened.claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });
      expect(claimed.map((job) => job.messageId)).toEqual(['o1']);
      expect(pageBytes(file)).toBe(4096);
    } finally {
      await reopened.close();
      rmSync(older, { recursive: true, force: true });
    }
  });

  it('C-RACE-1, C-IDN-5: jobs are numbered in arrival order across lanes, though inserted lane by lane', async () => {
    await enqueue(track('z1', 'z'), track('a1', 'a'), track('z2', 'z'), track('a2', 'a'));
    const heads = await store.claim({ workerId: 'w1', limit: 10, leaseMs: LEASE, now: T0 });
    expect(heads.map((job) => job.messageId)).toEqual(['z1', 'a1']);
    const [z1, a1] = heads;
    expect(a1!.seq).toBe(z1!.seq + 1);
    // The merge wait of C-IDN-5: before a1, lane z has one pending job (z1), lane a none.
    expect(await store.pendingBefore(z1!, a1!.seq)).toBe(1);
    expect(await store.pendingBefore(a1!, a1!.seq)).toBe(0);
  });
});
