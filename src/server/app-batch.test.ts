import { afterEach, describe, expect, it } from 'vitest';
import { post, testIngestApps } from './ingest-app-fixture.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('I-4 partial acceptance', () => {
  it('I-4 stores the valid events and reports the rejected ones by index', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', {
      batch: [
        { type: 'identify', userId: 'u1' },
        { type: 'track', userId: 'u1' },
        { type: 'group', userId: 'u1', groupId: 'g1' },
        { type: 'page' },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      accepted: 2,
      rejected: [
        { index: 1, code: 'missing_event', reason: 'event must be a non-empty string' },
        { index: 3, code: 'missing_identity', reason: 'userId or anonymousId is required' },
      ],
    });
    expect(enqueuer.events.map((incoming) => incoming.event.type)).toEqual(['identify', 'group']);
  });

  it('I-4 refuses a batch with no valid event with 400 and the reasons', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', { batch: [{ type: 'track', userId: 'u1' }] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      error: { code: 'invalid_batch' },
      rejected: [{ index: 0 }],
    });
    expect(enqueuer.events).toHaveLength(0);
  });

  it.each([
    { name: 'an empty batch', body: { batch: [] }, message: 'batch must contain at least one event' },
    { name: 'a body without batch', body: { events: [] }, message: 'batch must be an array of events' },
  ])('I-4 refuses $name with 400', async ({ body, message }) => {
    const { app } = setup();
    const response = await post(app, '/v1/batch', body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: { code: 'invalid_batch', message } });
  });

  it.each([
    { url: '/v1/track', body: { userId: 'u1' }, message: 'event must be a non-empty string' },
    { url: '/v1/identify', body: { traits: { plan: 'pro' } }, message: 'userId or anonymousId is required' },
    { url: '/v1/group', body: { userId: 'u1' }, message: 'groupId is required' },
    { url: '/v1/identify', body: { userId: 'u1', traits: 'vip' }, message: 'traits must be an object' },
    { url: '/v1/identify', body: [1], message: 'event must be a JSON object' },
  ])('I-4 answers an invalid single event on $url with 400 "$message"', async ({ url, body, message }) => {
    const { app, enqueuer } = setup();
    const response = await post(app, url, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ success: false, error: { code: 'invalid_event', message } });
    expect(enqueuer.events).toHaveLength(0);
  });

  it('answers an empty single-event body with 400', async () => {
    const { app } = setup();
    const response = await post(app, '/v1/track', '');
    expect(response.statusCode).toBe(400);
  });
});
