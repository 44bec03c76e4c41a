import { describe, expect, it } from 'vitest';
import { cachedCache, contact, httpError, identify, ok, plan, setup } from './executor-fixture.js';
import type { Operation } from './operations.js';

describe('executor: missing custom attributes (createMissingAttributes)', () => {
  const missing = () => httpError(400, 'parameter_invalid', "Custom attribute 'tier' does not exist");
  const op = identify({ custom_attributes: { tier: 3, plan: 'pro' } }, { tier: 'integer' });

  it('issue #5 row missing-attribute: creates the attribute with the plan type and resends at once', async () => {
    const { executor, log } = setup(
      {
        updateContact: [missing(), ok(contact('c1', 'u1'))],
        createDataAttribute: [ok({ name: 'tier', model: 'contact', data_type: 'integer' })],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      calls: 3,
      notes: ['created data attribute contact.tier (integer)'],
    });
    expect(log[1]).toEqual(['createDataAttribute', { name: 'tier', model: 'contact', data_type: 'integer' }]);
    expect(log[2]?.[2]).toMatchObject({ custom_attributes: { tier: 3, plan: 'pro' } });
  });

  it('issue #5 row missing-attribute (createMissingAttributes off): drops the attribute and delivers the rest', async () => {
    const { executor, log } = setup(
      { updateContact: [missing(), ok(contact('c1', 'u1'))] },
      false,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      calls: 2,
      notes: ['dropped missing attribute contact.tier'],
    });
    expect(log[1]?.[2]).toMatchObject({ custom_attributes: { plan: 'pro' } });
  });

  it('drops the attribute when creating it did not help, so it always ends', async () => {
    const { executor } = setup(
      {
        updateContact: [missing(), missing(), ok(contact('c1', 'u1'))],
        createDataAttribute: [httpError(400, 'parameter_invalid', 'Name already used')],
      },
      true,
      await cachedCache(),
    );
    const outcome = await executor.execute(plan(op));
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 4 });
    expect(outcome.notes).toEqual([
      'could not create data attribute contact.tier: parameter_invalid',
      'dropped missing attribute contact.tier',
    ]);
  });

  it('creates missing company attributes as model company (default type string)', async () => {
    const { executor, log } = setup({
      upsertCompany: [
        httpError(400, 'parameter_invalid', "Custom attribute 'region' does not exist"),
        ok({ id: 'co1' }),
      ],
      createDataAttribute: [ok({ name: 'region', model: 'company', data_type: 'string' })],
    });
    const companyOp: Operation = {
      kind: 'upsert_company',
      company: { company_id: 'g1', custom_attributes: { region: 'north' } },
      attributeTypes: {},
    };
    expect(await executor.execute(plan(companyOp))).toMatchObject({ kind: 'delivered', calls: 3 });
    expect(log[1]).toEqual([
      'createDataAttribute',
      { name: 'region', model: 'company', data_type: 'string' },
    ]);
  });
});
