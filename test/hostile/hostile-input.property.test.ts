import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_ROUTES, SINGLE_EVENT_ROUTES } from '../../src/server/tracking-routes.js';
import { createHostileApp, errorCode, post, type RecordingEnqueuer } from './ingest-fixture.js';

let app: FastifyInstance;
let enqueuer: RecordingEnqueuer;
beforeAll(() => {
  ({ app, enqueuer } = createHostileApp());
});
afterAll(async () => {
  await app.close();
});

const ROUTES = [...Object.keys(SINGLE_EVENT_ROUTES), ...BATCH_ROUTES];

const TYPES: Readonly<Record<string, true>> = {
  identify: true,
  track: true,
  page: true,
  screen: true,
  group: true,
  alias: true,
};

describe('hostile input: properties (never a 5xx, always the JSON error shape)', () => {
  it('answers any JSON value on any route with 200 or a 4xx JSON error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.jsonValue({ maxDepth: 6 }), async (url, value) => {
        const body = url.startsWith('/v1/b') || url === '/v1/import' ? { batch: value } : value;
        const response = await post(app, url, JSON.stringify(body) ?? '');
        expect(response.statusCode === 200 || (response.statusCode >= 400 && response.statusCode < 500)).toBe(
          true,
        );
        if (response.statusCode !== 200) expect(errorCode(response.body)).toEqual(expect.any(String));
      }),
      { numRuns: 300 },
    );
  });

  it('answers any bytes with any Content-Encoding with a 4xx JSON error or 200, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.uint8Array({ maxLength: 2048 }),
        fc.constantFrom('', 'gzip', 'deflate', 'br', 'identity', 'compress'),
        async (url, raw, encoding) => {
          const headers = encoding === '' ? {} : { 'content-encoding': encoding };
          const response = await post(app, url, Buffer.from(raw), headers);
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode !== 200) expect(errorCode(response.body)).toEqual(expect.any(String));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('I-4 stores exactly the valid events of a partly bad batch, in order', async () => {
    const nonBlank = fc.string({ minLength: 1, maxLength: 20 }).filter((text) => text.trim() !== '');
    const valid = fc.record({
      type: fc.constant('track'),
      userId: nonBlank,
      event: nonBlank,
      properties: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    });
    const invalid = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
      fc.record({ type: fc.constant('track'), userId: fc.constant('u'), event: fc.integer() }),
      fc.record({ type: fc.constant('track'), event: fc.constant('no identity') }),
      fc.record({ type: fc.string({ maxLength: 5 }).filter((t) => !(t in TYPES)), userId: fc.constant('u') }),
    );
    const entry = fc.oneof(
      valid.map((event) => ({ ok: true as const, event })),
      invalid.map((event) => ({ ok: false as const, event })),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 30 }), async (entries) => {
        run += 1;
        const batch = entries.map((e, i) =>
          e.ok ? { ...e.event, messageId: `prop-${run}-${i}` } : (e.event as unknown),
        );
        const before = enqueuer.events.length;
        const response = await post(app, '/v1/batch', JSON.stringify({ batch }));
        const wanted = entries.flatMap((e, i) => (e.ok ? [`prop-${run}-${i}`] : []));
        const stored = enqueuer.events.slice(before).map((e) => e.event.messageId);
        expect(stored).toEqual(wanted);
        if (wanted.length === 0) {
          expect(response.statusCode).toBe(400);
        } else {
          expect(response.statusCode).toBe(200);
          const answer = response.json<{ accepted: number; rejected: { index: number }[] }>();
          expect(answer.accepted).toBe(wanted.length);
          expect(answer.rejected.map((r) => r.index)).toEqual(entries.flatMap((e, i) => (e.ok ? [] : [i])));
        }
      }),
      { numRuns: 200 },
    );
  });
});
