import { describe, expect, it } from 'vitest';
import { createMemoryIdCache } from './id-cache.js';
import { DEST, cachedCache, contact, httpError, identity, ok, plan, setup } from './executor-fixture.js';
import type { Operation } from './operations.js';

describe('executor: companies (C-ID-10, C-ID-11, C-GR-1, C-GR-2)', () => {
  const upsert: Operation = {
    kind: 'upsert_company',
    company: { company_id: 'g1', name: 'Acme' },
    attributeTypes: {},
  };
  const attach: Operation = { kind: 'attach_company', identity, companyId: 'g1' };
  const detach: Operation = { kind: 'detach_company', identity, companyId: 'g1' };

  it('C-GR-2 upserts, then attaches the cached contact with the company Intercom id', async () => {
    const { executor, log } = setup(
      { upsertCompany: [ok({ id: 'co1', company_id: 'g1' })], attachContactToCompany: [ok(undefined)] },
      true,
      await cachedCache(),
    );
    expect(await executor.execute(plan(upsert, attach))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['attachContactToCompany', 'c1', 'co1']);
  });

  it('C-GR-1 an identical group call again costs no calls (fields hash and attachment memo)', async () => {
    const cache = await cachedCache();
    const first = setup(
      { upsertCompany: [ok({ id: 'co1' })], attachContactToCompany: [ok(undefined)] },
      true,
      cache,
    );
    await first.executor.execute(plan(upsert, attach));
    const second = setup({}, true, cache);
    const outcome = await second.executor.execute(plan(upsert, attach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 0 });
    expect(second.log).toEqual([]);
  });

  it('C-GR-1 changed company fields are upserted again', async () => {
    const cache = await cachedCache();
    await setup({ upsertCompany: [ok({ id: 'co1' })] }, true, cache).executor.execute(plan(upsert));
    const again = setup({ upsertCompany: [ok({ id: 'co1' })] }, true, cache);
    const changed: Operation = {
      kind: 'upsert_company',
      company: { company_id: 'g1', name: 'Acme Inc' },
      attributeTypes: {},
    };
    expect(await again.executor.execute(plan(changed))).toMatchObject({ calls: 1 });
  });

  it('C-ID-10 attach looks up an uncached company by company_id', async () => {
    const { executor, log } = setup(
      { findCompanyByCompanyId: [ok({ id: 'co2' })], attachContactToCompany: [ok(undefined)] },
      true,
      await cachedCache(),
    );
    expect(await executor.execute(plan(attach))).toMatchObject({ kind: 'delivered', calls: 2 });
    expect(log[1]).toEqual(['attachContactToCompany', 'c1', 'co2']);
  });

  it('C-ID-10 attach to a company Intercom does not know fails with company_not_found', async () => {
    const { executor } = setup({ findCompanyByCompanyId: [ok(undefined)] }, true, await cachedCache());
    const outcome = await executor.execute(plan(attach));
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'attach_company', calls: 1 });
    expect(outcome.kind === 'failed' && outcome.failure).toMatchObject({
      status: 404,
      code: 'company_not_found',
    });
  });

  it('C-GR-2 attach creates the contact when it does not exist yet', async () => {
    const cache = createMemoryIdCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    const { executor, log } = setup(
      {
        findContactByExternalId: [ok(undefined)],
        searchContactsByEmail: [ok([])],
        createContact: [ok(contact('c12', 'u1'))],
        attachContactToCompany: [ok(undefined)],
      },
      true,
      cache,
    );
    expect(await executor.execute(plan(attach))).toMatchObject({ kind: 'delivered', calls: 4 });
    expect(log[2]).toEqual(['createContact', { role: 'user', external_id: 'u1', email: 'ann@example.com' }]);
  });

  it('C-ID-11 detaching a company that is not attached is a success', async () => {
    const cache = await cachedCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    const { executor } = setup(
      { detachContactFromCompany: [httpError(404, 'company_not_found', 'Company Not Found')] },
      true,
      cache,
    );
    const outcome = await executor.execute(plan(detach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 1 });
  });

  it('C-ID-11 detaching from an unknown company or for an unknown contact is a success', async () => {
    const unknownCompany = setup({ findCompanyByCompanyId: [ok(undefined)] });
    expect(await unknownCompany.executor.execute(plan(detach))).toMatchObject({
      kind: 'delivered',
      calls: 1,
    });
    const unknownContact = setup({
      findCompanyByCompanyId: [ok({ id: 'co1' })],
      findContactByExternalId: [ok(undefined)],
      searchContactsByEmail: [ok([])],
    });
    const outcome = await unknownContact.executor.execute(plan(detach));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(unknownContact.log.map((l) => l[0])).not.toContain('createContact');
  });

  it('C-ID-11 detach forgets the attachment so a later attach is sent again', async () => {
    const cache = await cachedCache();
    await cache.setCompanyId({ destinationId: DEST, companyId: 'g1' }, 'co1');
    await setup({ attachContactToCompany: [ok(undefined)] }, true, cache).executor.execute(plan(attach));
    await setup({ detachContactFromCompany: [ok(undefined)] }, true, cache).executor.execute(plan(detach));
    const again = setup({ attachContactToCompany: [ok(undefined)] }, true, cache);
    expect(await again.executor.execute(plan(attach))).toMatchObject({ calls: 1 });
  });
});
