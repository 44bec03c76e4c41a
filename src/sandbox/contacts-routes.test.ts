import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSandboxes, withAttributes } from './sandbox-fixture.js';

const { prepare, start, closeAll } = testSandboxes();
beforeAll(prepare);
afterEach(closeAll);

describe('contacts', () => {
  it('C-IDN-2 creates, gets, finds by external id and updates a user', async () => {
    const t = await start();
    await withAttributes(t, 'contact', 'plan');
    const created = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
      signed_up_at: 1_600_000_000,
      custom_attributes: { plan: 'pro' },
    });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      type: 'contact',
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
      signed_up_at: 1_600_000_000,
      created_at: 1_700_000_000,
      custom_attributes: { plan: 'pro' },
      companies: { type: 'list', data: [] },
    });
    const id = created.json['id'] as string;
    expect((await t.call('GET', `/contacts/${id}`)).json['external_id']).toBe('u1');
    expect((await t.call('GET', '/contacts/find_by_external_id/u1')).json['id']).toBe(id);
    const updated = await t.call('PUT', `/contacts/${id}`, { name: 'Ada', last_seen_at: 1_700_000_000 });
    expect(updated.json).toMatchObject({ id, name: 'Ada', last_seen_at: 1_700_000_000, external_id: 'u1' });
  });

  it('creates a lead', async () => {
    const t = await start();
    expect((await t.call('POST', '/contacts', { role: 'lead', email: 'l@example.com' })).json['role']).toBe(
      'lead',
    );
  });

  it('C-IDN-2 answers 409 conflict with the existing id for a duplicate external_id and a duplicate user email', async () => {
    const t = await start();
    const first = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      email: 'ada@example.com',
    });
    const id = first.json['id'] as string;
    for (const body of [
      { role: 'user', external_id: 'u1' },
      { role: 'user', email: 'ada@example.com' },
    ]) {
      const r = await t.call('POST', '/contacts', body);
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({
        type: 'error.list',
        errors: [
          { code: 'conflict', message: `A contact matching those details already exists with id=${id}` },
        ],
      });
      expect(typeof r.json['request_id']).toBe('string');
    }
  });

  it('C-IDN-2 404 User Not Found for unknown ids and external ids', async () => {
    const t = await start();
    for (const r of [
      await t.call('GET', '/contacts/nope'),
      await t.call('PUT', '/contacts/nope', { name: 'x' }),
      await t.call('GET', '/contacts/find_by_external_id/nope'),
    ]) {
      expect(r.status).toBe(404);
      expect(r.json['errors']).toEqual([{ code: 'not_found', message: 'User Not Found' }]);
    }
  });

  it('C-IDN-2 search on external_id and email with AND/OR', async () => {
    const t = await start();
    const a = (
      await t.call('POST', '/contacts', { role: 'user', external_id: 'u1', email: 'ada@example.com' })
    ).json['id'];
    const b = (await t.call('POST', '/contacts', { role: 'lead', email: 'bob@example.com' })).json['id'];
    const byEmail = await t.call('POST', '/contacts/search', {
      query: { field: 'email', operator: '=', value: 'bob@example.com' },
    });
    expect(byEmail.json).toMatchObject({
      type: 'list',
      total_count: 1,
      data: [{ id: b }],
      pages: { type: 'pages' },
    });
    const either = await t.call('POST', '/contacts/search', {
      query: {
        operator: 'OR',
        value: [
          { field: 'external_id', operator: '=', value: 'u1' },
          { field: 'email', operator: '=', value: 'bob@example.com' },
        ],
      },
    });
    expect((either.json['data'] as { id: string }[]).map((c) => c.id)).toEqual([a, b]);
    const both = await t.call('POST', '/contacts/search', {
      query: {
        operator: 'AND',
        value: [
          { field: 'external_id', operator: '=', value: 'u1' },
          { field: 'email', operator: '=', value: 'bob@example.com' },
        ],
      },
    });
    expect(both.json['total_count']).toBe(0);
  });

  it('C-IDN-2 search lag: a contact created just now is not found by search yet', async () => {
    const t = await start({ searchLagMs: 30_000 });
    await t.call('POST', '/contacts', { role: 'user', email: 'ada@example.com' });
    const search = { query: { field: 'email', operator: '=', value: 'ada@example.com' } };
    expect((await t.call('POST', '/contacts/search', search)).json['total_count']).toBe(0);
    t.clock.advance(30_000);
    expect((await t.call('POST', '/contacts/search', search)).json['total_count']).toBe(1);
  });

  it('C-IDN-2 410 contact_merged with a canonical Link after POST /sandbox/merge', async () => {
    const t = await start();
    const from = (await t.call('POST', '/contacts', { role: 'user', external_id: 'old' })).json[
      'id'
    ] as string;
    const into = (await t.call('POST', '/contacts', { role: 'user', external_id: 'new' })).json[
      'id'
    ] as string;
    const merge = await t.sandbox.app.inject({
      method: 'POST',
      url: '/sandbox/merge',
      payload: { from, into },
    });
    expect(merge.statusCode).toBe(200);
    for (const r of [
      await t.call('GET', `/contacts/${from}`),
      await t.call('PUT', `/contacts/${from}`, { name: 'x' }),
      await t.call('GET', '/contacts/find_by_external_id/old'),
    ]) {
      expect(r.status).toBe(410);
      expect(r.headers['link']).toBe(`</contacts/${into}>; rel="canonical"`);
      expect(r.json['errors']).toEqual([
        {
          code: 'contact_merged',
          message: "This contact has been merged. See the 'Link' header for the canonical contact.",
        },
      ]);
    }
  });

  it('L-4 deletes a contact with its attachments and events, answering contact_deleted; then 404', async () => {
    const t = await start();
    const id = (
      await t.call('POST', '/contacts', { role: 'user', external_id: 'gone', email: 'g@example.com' })
    ).json['id'] as string;
    const company = (await t.call('POST', '/companies', { company_id: 'acme', name: 'Acme' })).json[
      'id'
    ] as string;
    await t.call('POST', `/contacts/${id}/companies`, { id: company });
    await t.call('POST', '/events', { event_name: 'paid', created_at: 1_700_000_000, user_id: 'gone' });
    const deleted = await t.call('DELETE', `/contacts/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ type: 'contact', id, external_id: 'gone', deleted: true });
    const state = t.sandbox.state();
    expect(state.contacts).toEqual([]);
    expect(state.attachments).toEqual([]);
    expect(state.events).toEqual([]);
    expect((await t.call('GET', '/contacts/find_by_external_id/gone')).status).toBe(404);
    expect((await t.call('DELETE', `/contacts/${id}`)).status).toBe(404);
    expect(t.sandbox.requests().filter((r) => r.violations.length > 0)).toEqual([]);
  });
});

describe('archive and unarchive (C-IDN-4)', () => {
  it('C-IDN-4 archive hides a contact, a create answers the archived 409, unarchive restores it; no violations', async () => {
    const t = await start();
    const created = await t.call('POST', '/contacts', {
      role: 'user',
      external_id: 'u1',
      email: 'a@example.com',
    });
    const id = created.json['id'] as string;
    const archived = await t.call('POST', `/contacts/${id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.json).toEqual({ type: 'contact', id, external_id: 'u1', archived: true });
    expect((await t.call('GET', '/contacts/find_by_external_id/u1')).status).toBe(404);
    const again = await t.call('POST', '/contacts', { role: 'user', external_id: 'u1' });
    expect(again.status).toBe(409);
    expect(again.json['errors']).toEqual([
      {
        code: 'conflict',
        message: `An archived contact matching those details already exists with id=${id}`,
      },
    ]);
    const restored = await t.call('POST', `/contacts/${id}/unarchive`);
    expect(restored.json).toEqual({ type: 'contact', id, external_id: 'u1', archived: false });
    expect((await t.call('GET', '/contacts/find_by_external_id/u1')).json['id']).toBe(id);
    expect(t.sandbox.violations()).toEqual([]);
  });
});
