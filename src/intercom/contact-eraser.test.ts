import { describe, expect, it } from 'vitest';
import { createContactEraser } from './contact-eraser.js';
import {
  type Answer,
  cachedCache,
  contact,
  DEST,
  httpError,
  type Method,
  ok,
  scriptedApi,
} from './executor-fixture.js';
import { contactKey, createMemoryIdCache, type IdCache } from './id-cache.js';

function eraser(script: Partial<Record<Method, Answer[]>>, idCache: IdCache = createMemoryIdCache()) {
  const { api, log } = scriptedApi(script);
  return { eraser: createContactEraser({ client: api, idCache, destinationId: DEST }), log };
}

describe('L-4 contact eraser', () => {
  it('L-4 deletes the cached contact of a user id with one call', async () => {
    const { eraser: e, log } = eraser({ deleteContact: [ok(true)] }, await cachedCache('c1'));
    const { outcome, contactIds } = await e.erase({ kind: 'external_id', value: 'u1' });
    expect(outcome).toMatchObject({ kind: 'delivered', calls: 1 });
    expect(contactIds).toEqual(['c1']);
    expect(log).toEqual([['deleteContact', 'c1']]);
  });

  it('L-4 looks the user up by external_id (C-IDN-2) when the cached id is already gone', async () => {
    const { eraser: e, log } = eraser(
      { deleteContact: [ok(false), ok(true)], findContactByExternalId: [ok(contact('c2', 'u1'))] },
      await cachedCache('c1'),
    );
    const { contactIds } = await e.erase({ kind: 'external_id', value: 'u1' });
    expect(contactIds).toEqual(['c2']);
    expect(log.map(([method, ...args]) => [method, ...args])).toEqual([
      ['deleteContact', 'c1'],
      ['findContactByExternalId', 'u1'],
      ['deleteContact', 'c2'],
    ]);
  });

  it('L-4 an unknown user is done with nothing deleted ("not found" counts as done)', async () => {
    const { eraser: e } = eraser({ findContactByExternalId: [ok(undefined)] });
    expect(await e.erase({ kind: 'external_id', value: 'u1' })).toMatchObject({
      outcome: { kind: 'delivered', calls: 1 },
      contactIds: [],
    });
  });

  it('L-4 by email deletes every contact the search finds and the cached one, following a merge', async () => {
    const cache = createMemoryIdCache();
    await cache.setContactId(contactKey(DEST, 'email', 'ann@example.com'), 'c0');
    const { eraser: e, log } = eraser(
      {
        searchContactsByEmail: [ok([contact('c1'), { ...contact('c2'), role: 'lead' }])],
        deleteContact: [
          ok(true),
          httpError(410, 'contact_merged', 'merged', { link: 'c9' }),
          ok(true),
          ok(true),
        ],
      },
      cache,
    );
    const { outcome, contactIds } = await e.erase({ kind: 'email', value: ' Ann@Example.com' });
    expect(outcome.kind).toBe('delivered');
    expect(contactIds).toEqual(['c0', 'c9', 'c2']);
    expect(log[0]).toEqual(['searchContactsByEmail', 'ann@example.com']);
  });

  it('L-4 reports a failure as a value the policy can judge (5xx: retry)', async () => {
    const { eraser: e } = eraser({
      findContactByExternalId: [httpError(503, 'service_unavailable', 'down')],
    });
    const { outcome } = await e.erase({ kind: 'external_id', value: 'u1' });
    expect(outcome).toMatchObject({ kind: 'failed', operation: 'delete_contact', failure: { status: 503 } });
  });
});
