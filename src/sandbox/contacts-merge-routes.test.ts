import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes, withAttributes, type TestSandbox } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

/** A lead with an attribute, an event and a company, and a user with the same email. */
async function leadAndUser(t: TestSandbox): Promise<{ leadId: string; userId: string }> {
  await withAttributes(t, 'contact', 'plan', 'source');
  const lead = await t.call('POST', '/contacts', {
    role: 'lead',
    email: 'Grace@example.com',
    name: 'Grace',
    custom_attributes: { plan: 'trial', source: 'ads' },
  });
  const leadId = lead.json['id'] as string;
  expect(
    (await t.call('POST', '/events', { event_name: 'Pricing Viewed', created_at: 1_700_000_000, id: leadId }))
      .status,
  ).toBe(202);
  const company = await t.call('POST', '/companies', { company_id: 'acme', name: 'Acme' });
  await t.call('POST', `/contacts/${leadId}/companies`, { id: company.json['id'] });
  const user = await t.call('POST', '/contacts', {
    role: 'user',
    external_id: 'u1',
    email: 'grace@example.com',
    custom_attributes: { plan: 'pro' },
  });
  return { leadId, userId: user.json['id'] as string };
}

describe('POST /contacts/merge (C-IDN-5)', () => {
  it("C-IDN-5 moves the lead's attributes (where the user has none), events and companies to the user", async () => {
    const t = await start();
    const { leadId, userId } = await leadAndUser(t);
    const merged = await t.call('POST', '/contacts/merge', { from: leadId, into: userId });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({
      type: 'contact',
      id: userId,
      role: 'user',
      external_id: 'u1',
      name: 'Grace',
      custom_attributes: { plan: 'pro', source: 'ads' },
    });
    const state = t.sandbox.state();
    expect(state.events.map((e) => [e.event_name, e.contact_id, e.user_id])).toEqual([
      ['Pricing Viewed', userId, 'u1'],
    ]);
    expect(state.attachments.map((a) => a.contact_id)).toEqual([userId]);
    expect(t.sandbox.violations()).toEqual([]);
  });

  it('C-IDN-5 the lead is gone afterwards: 410 with a Link to the user, out of searches, merging it again fails', async () => {
    const t = await start();
    const { leadId, userId } = await leadAndUser(t);
    await t.call('POST', '/contacts/merge', { from: leadId, into: userId });
    const gone = await t.call('GET', `/contacts/${leadId}`);
    expect(gone.status).toBe(410);
    expect(gone.headers['link']).toBe(`</contacts/${userId}>; rel="canonical"`);
    const search = await t.call('POST', '/contacts/search', {
      query: { field: 'email', operator: '=', value: 'grace@example.com' },
    });
    expect((search.json['data'] as { id: string }[]).map((c) => c.id)).toEqual([userId]);
    expect((await t.call('POST', '/contacts/merge', { from: leadId, into: userId })).status).toBe(410);
  });

  it('C-IDN-5 refuses to merge a user, into a lead, unknown contacts, and contacts that are not duplicates', async () => {
    const t = await start();
    const { leadId, userId } = await leadAndUser(t);
    const stranger = await t.call('POST', '/contacts', { role: 'lead', email: 'someone@example.com' });
    const strangerId = stranger.json['id'] as string;
    const answers = [
      await t.call('POST', '/contacts/merge', { from: userId, into: userId }),
      await t.call('POST', '/contacts/merge', { from: leadId, into: strangerId }),
      await t.call('POST', '/contacts/merge', { from: '640000000000000000000fff', into: userId }),
      await t.call('POST', '/contacts/merge', { from: strangerId, into: userId }),
    ];
    expect(answers.map((a) => [a.status, (a.json['errors'] as { code: string }[])[0]?.code])).toEqual([
      [400, 'parameter_invalid'],
      [400, 'parameter_invalid'],
      [404, 'not_found'],
      [400, 'invalid_merge'],
    ]);
    const skipped = await t.call('POST', '/contacts/merge', {
      from: strangerId,
      into: userId,
      skip_duplicate_validation: true,
    });
    expect(skipped.status).toBe(200);
  });

  it("C-IDN-5 finds a lead's events by its id only, not by its email (createDataEvent)", async () => {
    const t = await start();
    await t.call('POST', '/contacts', { role: 'lead', email: 'lead@example.com' });
    const byEmail = await t.call('POST', '/events', {
      event_name: 'Viewed',
      created_at: 1_700_000_000,
      email: 'lead@example.com',
    });
    expect(byEmail.status).toBe(404);
  });
});
