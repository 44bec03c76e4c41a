import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/delivery/store/group-commit.js';
import type { JobStore } from '../../src/delivery/store/job-store.js';
import { openCommandQueue } from '../../src/cli/queue.js';
import { createIngestApp } from '../../src/server/app.js';
import { basic, createHostileApp } from '../hostile/ingest-fixture.js';

const KEYS = {
  'wk-shop-web': { sourceId: 'shop-web', destinationId: 'shop' },
  'wk-shop-ios': { sourceId: 'shop-ios', destinationId: 'shop' },
  'wk-bank-web': { sourceId: 'bank-web', destinationId: 'bank' },
} as const;
type Key = keyof typeof KEYS;
const sources = new Map(Object.entries(KEYS));
const batch = (extra: object = {}): string =>
  JSON.stringify({ batch: [{ type: 'track', userId: 'u1', event: 'Clicked' }], ...extra });

describe('I-2 unknown or missing write key: 401 and nothing stored (real SQLite store)', () => {
  let dir: string;
  let store: JobStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'security-auth-'));
    // The queue as the commands open it: SQLite in the data directory.
    store = await openCommandQueue({ dataDir: dir });
    app = createIngestApp({ sources, enqueuer: createGroupCommit(store) });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    { name: 'no credentials at all', headers: {}, body: batch() },
    { name: 'unknown key in Basic auth', headers: { authorization: basic('wk-stolen') }, body: batch() },
    { name: 'unknown key in the body', headers: {}, body: batch({ writeKey: 'wk-stolen' }) },
    { name: 'empty Basic user name', headers: { authorization: basic('') }, body: batch() },
    {
      name: 'a Bearer token instead of Basic',
      headers: { authorization: 'Bearer wk-shop-web' },
      body: batch(),
    },
    {
      name: 'a key that differs only in case',
      headers: { authorization: basic('WK-SHOP-WEB') },
      body: batch(),
    },
    { name: 'a key with trailing space', headers: { authorization: basic('wk-shop-web ') }, body: batch() },
    { name: 'writeKey of the wrong type', headers: {}, body: batch({ writeKey: ['wk-shop-web'] }) },
  ])('I-2 $name → 401', async ({ headers, body }) => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'unauthorized' } });
    expect(response.body).not.toContain('wk-');
    expect(await store.queueDepth(Date.now())).toEqual([]);
  });

  it('I-2 stores the same request once the key is right', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/batch',
      headers: { 'content-type': 'application/json', authorization: basic('wk-shop-web') },
      payload: batch(),
    });
    expect(response.statusCode).toBe(200);
    expect(await store.queueDepth(Date.now())).toMatchObject([{ destinationId: 'shop', pending: 1 }]);
  });
});

describe('I-2 one source can never write into another source or workspace', () => {
  it('routes every stored event by the key that authenticated it, whatever the body claims', async () => {
    const { app, enqueuer } = createHostileApp({ sources });
    const keys = Object.keys(KEYS) as Key[];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...keys),
        fc.constantFrom(...keys, 'wk-unknown'),
        fc.boolean(),
        fc.record({
          sourceId: fc.constantFrom('bank-web', 'shop-web'),
          destinationId: fc.constantFrom('bank', 'shop'),
        }),
        async (headerKey, bodyKey, keyInHeader, claims) => {
          const before = enqueuer.events.length;
          const event = { type: 'track', userId: 'u', event: 'e', ...claims, writeKey: bodyKey };
          const response = await app.inject({
            method: 'POST',
            url: '/v1/batch',
            headers: {
              'content-type': 'application/json',
              ...(keyInHeader ? { authorization: basic(headerKey) } : {}),
            },
            payload: JSON.stringify({ batch: [event], writeKey: bodyKey, ...claims }),
          });
          // The header wins when present; otherwise the body's key decides.
          const used = keyInHeader ? headerKey : bodyKey;
          const owner = used === 'wk-unknown' ? undefined : KEYS[used];
          if (owner === undefined) {
            expect(response.statusCode).toBe(401);
            expect(enqueuer.events.length).toBe(before);
            return;
          }
          expect(response.statusCode).toBe(200);
          const stored = enqueuer.events.slice(before);
          expect(stored.map((e) => [e.sourceId, e.destinationId])).toEqual([
            [owner.sourceId, owner.destinationId],
          ]);
          expect(JSON.stringify(stored)).not.toContain('wk-');
        },
      ),
      { numRuns: 200 },
    );
    await app.close();
  });
});
