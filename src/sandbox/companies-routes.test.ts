import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

describe('companies', () => {
  it('C-GR-1 upserts by company_id with an integer monthly_spend and gets it by company_id and id', async () => {
    const t = await start();
    const created = await t.call('POST', '/companies', {
      company_id: 'acme',
      name: 'Acme',
      monthly_spend: 49,
    });
    expect(created.json).toMatchObject({
      type: 'company',
      company_id: 'acme',
      name: 'Acme',
      monthly_spend: 49,
    });
    const again = await t.call('POST', '/companies', {
      company_id: 'acme',
      plan: 'pro',
      monthly_spend: 99.9,
    });
    expect(again.json).toMatchObject({
      id: created.json['id'],
      name: 'Acme',
      monthly_spend: 99,
      plan: { type: 'plan', name: 'pro' },
    });
    expect((await t.call('GET', '/companies?company_id=acme')).json['id']).toBe(created.json['id']);
    expect((await t.call('GET', `/companies/${created.json['id'] as string}`)).json['company_id']).toBe(
      'acme',
    );
    const missing = await t.call('GET', '/companies?company_id=nope');
    expect(missing.status).toBe(404);
    expect(missing.json['errors']).toEqual([{ code: 'company_not_found', message: 'Company Not Found' }]);
  });

  it('C-ID-10 C-GR-2 attaches by Intercom id, lists, and C-ID-11 detaches', async () => {
    const t = await start();
    const contact = (await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' })).json[
      'id'
    ] as string;
    const company = (await t.call('POST', '/companies', { company_id: 'acme' })).json['id'] as string;
    const attached = await t.call('POST', `/contacts/${contact}/companies`, { id: company });
    expect(attached.json).toMatchObject({ type: 'company', id: company, user_count: 1 });
    expect((await t.call('GET', `/contacts/${contact}/companies`)).json).toMatchObject({
      type: 'list',
      data: [{ id: company }],
    });
    expect((await t.call('GET', `/contacts/${contact}`)).json['companies']).toMatchObject({
      total_count: 1,
      data: [{ id: company }],
    });
    const detached = await t.call('DELETE', `/contacts/${contact}/companies/${company}`);
    expect(detached.status).toBe(200);
    expect(t.sandbox.state().attachments).toEqual([]);
  });

  it('C-ID-10 404 company_not_found when attaching an unknown company (a company_id is not an id)', async () => {
    const t = await start();
    const contact = (await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' })).json[
      'id'
    ] as string;
    await t.call('POST', '/companies', { company_id: 'acme' });
    const r = await t.call('POST', `/contacts/${contact}/companies`, { id: 'acme' });
    expect(r.status).toBe(404);
    expect(r.json['errors']).toEqual([{ code: 'company_not_found', message: 'Company Not Found' }]);
  });
});
