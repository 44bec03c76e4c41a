import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITE_KEY, basic, post, testIngestApps, validByType } from './ingest-app-fixture.js';
import { BATCH_ROUTES, SINGLE_EVENT_ROUTES } from './tracking-routes.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('I-1 routes', () => {
  it.each(Object.entries(SINGLE_EVENT_ROUTES))('I-1 POST %s stores a %s event', async (url, type) => {
    const { app, enqueuer } = setup();
    const response = await post(app, url, validByType[type]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 1, rejected: [] });
    expect(enqueuer.events).toHaveLength(1);
    expect(enqueuer.events[0]).toMatchObject({
      sourceId: 'web',
      destinationId: 'intercom-main',
      event: { type },
    });
  });

  it.each(BATCH_ROUTES)('I-1 POST %s stores every event of the batch', async (url) => {
    const { app, enqueuer } = setup();
    const batch = [
      { type: 'identify', ...validByType.identify },
      { type: 'track', ...validByType.track },
    ];
    const response = await post(app, url, { batch });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, accepted: 2, rejected: [] });
    expect(enqueuer.events.map((incoming) => incoming.event.type)).toEqual(['identify', 'track']);
  });

  it('I-1 parses text/plain bodies as JSON (analytics.js), with writeKey in the body', async () => {
    const { app, enqueuer } = setup();
    const response = await post(
      app,
      '/v1/t',
      JSON.stringify({ ...validByType.track, type: 'track', writeKey: WRITE_KEY }),
      {
        'content-type': 'text/plain;charset=UTF-8',
        authorization: '',
      },
    );
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events[0]?.event).toMatchObject({ type: 'track', event: 'Signed Up' });
    expect(enqueuer.events[0]?.event).not.toHaveProperty('writeKey');
  });

  it('I-1 parses a body sent without a content type', async () => {
    const { app, enqueuer } = setup();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: basic(WRITE_KEY) },
      payload: Buffer.from(JSON.stringify(validByType.identify)),
    });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it.each([
    { encoding: 'gzip', compress: gzipSync },
    { encoding: 'deflate', compress: deflateSync },
    { encoding: 'br', compress: brotliCompressSync },
  ])('I-1 decompresses Content-Encoding $encoding', async ({ encoding, compress }) => {
    const { app, enqueuer } = setup();
    const body = compress(Buffer.from(JSON.stringify({ batch: [{ type: 'track', ...validByType.track }] })));
    const response = await post(app, '/v1/batch', body, { 'content-encoding': encoding });
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-1 refuses an unknown Content-Encoding with 415', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', { batch: [] }, { 'content-encoding': 'zstd' });
    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_encoding');
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-1 answers 400 to a body that claims gzip but is not', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/batch', 'plain text', { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_encoding');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const { app } = setup();
    const response = await post(app, '/v2/track', validByType.track);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
  });

  it('answers invalid JSON with 400 without quoting the body', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/track', `{"writeKey":"${WRITE_KEY}",`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      error: { code: 'invalid_json', message: 'body is not valid JSON' },
    });
    expect(response.body).not.toContain(WRITE_KEY);
    expect(enqueuer.events).toHaveLength(0);
  });
});

describe('I-1 CORS', () => {
  it('I-1 answers a browser preflight', async () => {
    const { app } = setup();
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/v1/t',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,content-encoding',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']).toContain('content-encoding');
  });

  it('I-1 lets browsers read the answer of a cross-origin post', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/t', validByType.track, { origin: 'https://shop.example' });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('I-1 allows only configured origins when a list is given', async () => {
    const { app } = setup({ cors: { origins: ['https://shop.example'] } });
    const allowed = await post(app, '/v1/t', validByType.track, { origin: 'https://shop.example' });
    const other = await post(app, '/v1/t', validByType.track, { origin: 'https://evil.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
