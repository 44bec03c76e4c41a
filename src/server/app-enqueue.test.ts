import { afterEach, describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer } from '../delivery/store/enqueue.js';
import { post, testIngestApps, validByType } from './ingest-app-fixture.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('I-5 durability', () => {
  it('I-5 answers 503, never 200, when the store fails', async () => {
    const { app, enqueuer } = setup();
    enqueuer.failWith = new TypeError('disk full');
    const response = await post(app, '/v1/batch', { batch: [{ type: 'track', ...validByType.track }] });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      success: false,
      error: { code: 'store_unavailable', message: 'events could not be stored; retry later' },
    });
  });

  it('I-5 does not answer before the store has committed', async () => {
    let commit: (result: EnqueueResult) => void = () => undefined;
    const enqueuer: Enqueuer = {
      enqueue: () =>
        new Promise<EnqueueResult>((resolve) => {
          commit = resolve;
        }),
    };
    const { app } = setup({ enqueuer });
    let answered = false;
    const pending = post(app, '/v1/track', validByType.track).then((response) => {
      answered = true;
      return response;
    });
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    commit({ stored: 1, duplicates: 0 });
    expect((await pending).statusCode).toBe(200);
  });

  it('I-5 keeps client messageIds so the store can drop a retried batch', async () => {
    const { app, enqueuer } = setup();
    const body = { batch: [{ type: 'track', ...validByType.track, messageId: 'msg-1' }] };
    await post(app, '/v1/batch', body, { 'x-retry-count': '0' });
    await post(app, '/v1/batch', body, { 'x-retry-count': '1' });
    expect(enqueuer.events.map((incoming) => incoming.event.messageId)).toEqual(['msg-1', 'msg-1']);
  });
});

describe('I-6 timestamps', () => {
  it('I-6 sets receivedAt from the server clock and corrects originalTimestamp by sentAt', async () => {
    const { app, enqueuer } = setup();
    await post(app, '/v1/batch', {
      sentAt: '2024-05-01T11:00:05.000Z',
      batch: [
        { type: 'track', ...validByType.track, originalTimestamp: '2024-05-01T11:00:00.000Z' },
        { type: 'track', ...validByType.track, timestamp: '2024-04-01T00:00:00.000Z' },
        { type: 'track', ...validByType.track },
      ],
    });
    expect(enqueuer.events.map((incoming) => [incoming.receivedAt, incoming.event.timestamp])).toEqual([
      ['2024-05-01T12:00:00.000Z', '2024-05-01T11:59:55.000Z'],
      ['2024-05-01T12:00:00.000Z', '2024-04-01T00:00:00.000Z'],
      ['2024-05-01T12:00:00.000Z', '2024-05-01T12:00:00.000Z'],
    ]);
    expect(enqueuer.events[0]?.event.receivedAt).toBe('2024-05-01T12:00:00.000Z');
  });

  it('I-6 generates a messageId when the client sent none', async () => {
    const { app, enqueuer } = setup();
    await post(app, '/v1/track', validByType.track);
    expect(enqueuer.events[0]?.event.messageId).toBe('gen-1');
  });
});
