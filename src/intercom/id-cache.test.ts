import { describe, expect, it } from 'vitest';
import { hashCompanyFields } from './company-fields-hash.js';
import { contactKey, createMemoryIdCache } from './id-cache.js';

describe('createMemoryIdCache (C-IDN-3)', () => {
  it('keeps contact ids per destination and key kind', async () => {
    const cache = createMemoryIdCache();
    await cache.setContactId(contactKey('d1', 'external_id', 'u1'), 'c1');
    expect(await cache.getContactId(contactKey('d1', 'external_id', 'u1'))).toBe('c1');
    expect(await cache.getContactId(contactKey('d2', 'external_id', 'u1'))).toBeUndefined();
    expect(await cache.getContactId(contactKey('d1', 'email', 'u1'))).toBeUndefined();
    await cache.deleteContactId(contactKey('d1', 'external_id', 'u1'));
    expect(await cache.getContactId(contactKey('d1', 'external_id', 'u1'))).toBeUndefined();
  });

  it('matches emails case-insensitively', async () => {
    const cache = createMemoryIdCache();
    await cache.setContactId(contactKey('d1', 'email', ' Ann@Example.COM'), 'c1');
    expect(await cache.getContactId(contactKey('d1', 'email', 'ann@example.com'))).toBe('c1');
  });

  it('does not confuse keys whose parts contain separators', async () => {
    const cache = createMemoryIdCache();
    await cache.setCompanyId({ destinationId: 'a:b', companyId: 'c' }, 'x');
    expect(await cache.getCompanyId({ destinationId: 'a', companyId: 'b:c' })).toBeUndefined();
  });

  it('forgets the fields hash with the company id', async () => {
    const cache = createMemoryIdCache();
    const key = { destinationId: 'd1', companyId: 'g1' };
    await cache.setCompanyId(key, 'co1');
    await cache.setCompanyFieldsHash?.(key, 'h');
    await cache.deleteCompanyId(key);
    expect(await cache.getCompanyId(key)).toBeUndefined();
    expect(await cache.getCompanyFieldsHash?.(key)).toBeUndefined();
  });

  it('remembers and forgets attachments', async () => {
    const cache = createMemoryIdCache();
    const key = { destinationId: 'd1', contactId: 'c1', intercomCompanyId: 'co1' };
    expect(await cache.hasAttachment?.(key)).toBe(false);
    await cache.setAttachment?.(key);
    expect(await cache.hasAttachment?.(key)).toBe(true);
    await cache.deleteAttachment?.(key);
    expect(await cache.hasAttachment?.(key)).toBe(false);
  });
});

describe('hashCompanyFields', () => {
  it('ignores key order and differs on any value change', () => {
    const a = hashCompanyFields({ company_id: 'g1', name: 'Acme', custom_attributes: { x: 1, y: 'b' } });
    const b = hashCompanyFields({ custom_attributes: { y: 'b', x: 1 }, name: 'Acme', company_id: 'g1' });
    const c = hashCompanyFields({ company_id: 'g1', name: 'Acme', custom_attributes: { x: 2, y: 'b' } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });
});
