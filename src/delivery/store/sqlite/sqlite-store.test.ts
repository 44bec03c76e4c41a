import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeJobStoreContract } from '../../../../test/delivery-store-contract.js';
import type { SegmentEvent } from '../../../segment/event.js';
import type { SqliteJobStore } from './sqlite-store.js';
import { openSqliteStore, sqliteStorePath } from './sqlite-store.js';

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
});
