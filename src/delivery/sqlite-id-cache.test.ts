import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactKey } from '../intercom/id-cache.js';
import type { SqliteJobStore } from './sqlite-store.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;
let file: string;
let store: SqliteJobStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'delivery-ids-'));
  file = path.join(dir, 'delivery.sqlite');
  store = openSqliteStore({ path: file });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteJobStore as IdCache (C-IDN-3)', () => {
  it('C-IDN-3 remembers contact ids per destination and key kind, across a restart', async () => {
    await store.setContactId(contactKey('dest-1', 'external_id', 'u1'), 'c-1');
    await store.setContactId(contactKey('dest-1', 'email', ' Ada@Example.com '), 'c-2');
    await store.close();
    store = openSqliteStore({ path: file });
    expect(await store.getContactId(contactKey('dest-1', 'external_id', 'u1'))).toBe('c-1');
    expect(await store.getContactId(contactKey('dest-1', 'email', 'ada@example.com'))).toBe('c-2');
    expect(await store.getContactId(contactKey('dest-2', 'external_id', 'u1'))).toBeUndefined();
    expect(await store.getContactId(contactKey('dest-1', 'email', 'u1'))).toBeUndefined();
  });

  it('C-IDN-2 replaces and forgets contact ids (410 merge, 404 on a cached id)', async () => {
    const key = contactKey('dest-1', 'external_id', 'u1');
    await store.setContactId(key, 'c-old');
    await store.setContactId(key, 'c-new');
    expect(await store.getContactId(key)).toBe('c-new');
    await store.deleteContactId(key);
    await store.deleteContactId(key);
    expect(await store.getContactId(key)).toBeUndefined();
  });

  it('keeps company ids and fields hashes; deleting the id forgets both', async () => {
    const key = { destinationId: 'dest-1', companyId: '2017828326' };
    await store.setCompanyFieldsHash(key, 'h1');
    await store.setCompanyId(key, 'co-1');
    expect(await store.getCompanyId(key)).toBe('co-1');
    expect(await store.getCompanyFieldsHash(key)).toBe('h1');
    await store.deleteCompanyId(key);
    expect(await store.getCompanyId(key)).toBeUndefined();
    expect(await store.getCompanyFieldsHash(key)).toBeUndefined();
  });

  it('remembers attachments until deleted', async () => {
    const key = { destinationId: 'dest-1', contactId: 'c-1', intercomCompanyId: 'co-1' };
    expect(await store.hasAttachment(key)).toBe(false);
    await store.setAttachment(key);
    await store.setAttachment(key);
    expect(await store.hasAttachment(key)).toBe(true);
    expect(await store.hasAttachment({ ...key, destinationId: 'dest-2' })).toBe(false);
    await store.deleteAttachment(key);
    expect(await store.hasAttachment(key)).toBe(false);
  });
});
