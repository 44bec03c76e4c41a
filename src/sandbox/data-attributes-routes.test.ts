import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes, withAttributes } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

describe('data attributes', () => {
  it('lists and creates per model', async () => {
    const t = await start();
    const created = await t.call('POST', '/data_attributes', {
      name: 'tier',
      model: 'company',
      data_type: 'string',
    });
    expect(created.json).toMatchObject({
      type: 'data_attribute',
      name: 'tier',
      model: 'company',
      full_name: 'custom_attributes.tier',
      custom: true,
    });
    const companies = await t.call('GET', '/data_attributes?model=company');
    const names = (companies.json['data'] as { name: string }[]).map((a) => a.name);
    expect(companies.json['type']).toBe('list');
    expect(names).toContain('tier');
    const contacts = await t.call('GET', '/data_attributes?model=contact');
    expect((contacts.json['data'] as { name: string }[]).map((a) => a.name)).not.toContain('tier');
  });

  it.each([
    ['contact', 'POST', '/contacts', { role: 'user', external_id: 'u1', custom_attributes: { plan: 'pro' } }],
    ['company', 'POST', '/companies', { company_id: 'acme', custom_attributes: { plan_tier: 'gold' } }],
  ] as const)(
    'C-ID-4 a %s custom attribute that does not exist is refused with 400 parameter_invalid',
    async (_model, method, url, body) => {
      const t = await start();
      const r = await t.call(method, url, body);
      const name = Object.keys(body.custom_attributes)[0]!;
      expect(r.status).toBe(400);
      expect(r.json['errors']).toEqual([
        { code: 'parameter_invalid', message: `Custom attribute '${name}' does not exist` },
      ]);
    },
  );

  it('C-ID-4 the same request succeeds once the attribute is created', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'plan');
    expect(
      (
        await t.call('POST', '/contacts', {
          role: 'user',
          external_id: 'u1',
          custom_attributes: { plan: 'pro' },
        })
      ).status,
    ).toBe(200);
  });

  it('C-ID-4 refuses object and array values with 400 parameter_invalid', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'address', 'tags');
    for (const value of [{ city: 'Paris' }, ['a']]) {
      const r = await t.call('POST', '/contacts', {
        role: 'user',
        external_id: 'u1',
        custom_attributes: { address: value },
      });
      expect(r.status).toBe(400);
      expect(r.json['errors']).toMatchObject([{ code: 'parameter_invalid' }]);
    }
  });
});
