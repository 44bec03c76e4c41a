import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdCache } from '../src/intercom/id-cache.js';
import { contactKey } from '../src/intercom/id-cache.js';

/** A store with its durable id cache, closed after each test. */
export interface IdCacheHolder {
  readonly idCache: Required<IdCache>;
  close(): Promise<void>;
}

/** What every durable `IdCache` must do (C-IDN-2/3), run against each store with a fresh cache per test. */
export function describeIdCacheContract(name: string, open: () => Promise<IdCacheHolder>): void {
  describe(`${name} as IdCache (C-IDN-3)`, () => {
    let holder: IdCacheHolder;
    let cache: IdCache;

    beforeEach(async () => {
      holder = await open();
      cache = holder.idCache;
    });

    afterEach(async () => {
      await holder.close();
    });

    it('C-IDN-3 remembers contact ids per destination and key kind', async () => {
      await cache.setContactId(contactKey('dest-1', 'external_id', 'u1'), 'c-1');
      await cache.setContactId(contactKey('dest-1', 'email', ' Ada@Example.com '), 'c-2');
      expect(await cache.getContactId(contactKey('dest-1', 'external_id', 'u1'))).toBe('c-1');
      expect(await cache.getContactId(contactKey('dest-1', 'email', 'ada@example.com'))).toBe('c-2');
      expect(await cache.getContactId(contactKey('dest-2', 'external_id', 'u1'))).toBeUndefined();
      expect(await cache.getContactId(contactKey('dest-1', 'email', 'u1'))).toBeUndefined();
    });

    it('C-IDN-2 replaces and forgets contact ids (410 merge, 404 on a cached id)', async () => {
      const key = contactKey('dest-1', 'external_id', 'u1');
      await cache.setContactId(key, 'c-old');
      await cache.setContactId(key, 'c-new');
      expect(await cache.getContactId(key)).toBe('c-new');
      await cache.deleteContactId(key);
      await cache.deleteContactId(key);
      expect(await cache.getContactId(key)).toBeUndefined();
    });

    it('keeps company ids and fields hashes; deleting the id forgets both', async () => {
      const key = { destinationId: 'dest-1', companyId: '2017828326' };
      await cache.setCompanyFieldsHash?.(key, 'h1');
      await cache.setCompanyId(key, 'co-1');
      expect(await cache.getCompanyId(key)).toBe('co-1');
      expect(await cache.getCompanyFieldsHash?.(key)).toBe('h1');
      await cache.deleteCompanyId(key);
      expect(await cache.getCompanyId(key)).toBeUndefined();
      expect(await cache.getCompanyFieldsHash?.(key)).toBeUndefined();
    });

    it('remembers attachments until deleted', async () => {
      const key = { destinationId: 'dest-1', contactId: 'c-1', intercomCompanyId: 'co-1' };
      expect(await cache.hasAttachment?.(key)).toBe(false);
      await cache.setAttachment?.(key);
      await cache.setAttachment?.(key);
      expect(await cache.hasAttachment?.(key)).toBe(true);
      expect(await cache.hasAttachment?.({ ...key, destinationId: 'dest-2' })).toBe(false);
      await cache.deleteAttachment?.(key);
      expect(await cache.hasAttachment?.(key)).toBe(false);
    });
  });
}
