import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIdCacheContract } from '../../../../test/delivery-id-cache-contract.js';
import { contactKey } from '../../../intercom/id-cache.js';
import { openSqliteStore } from './sqlite-store.js';

let root: string;
let caches = 0;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'delivery-ids-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describeIdCacheContract('SqliteJobStore', () => {
  caches += 1;
  return Promise.resolve(openSqliteStore({ path: path.join(root, `cache-${caches}.sqlite`) }));
});

describe('SqliteJobStore id cache on disk', () => {
  it('C-IDN-3 keeps contact ids across a restart', async () => {
    const file = path.join(root, 'restart.sqlite');
    const before = openSqliteStore({ path: file });
    await before.idCache.setContactId(contactKey('dest-1', 'external_id', 'u1'), 'c-1');
    await before.close();
    const after = openSqliteStore({ path: file });
    expect(await after.idCache.getContactId(contactKey('dest-1', 'external_id', 'u1'))).toBe('c-1');
    await after.close();
  });
});
