import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { post, RecordingEnqueuer, testIngestApps } from './ingest-app-fixture.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('I-3 limits', () => {
  const eventOfBytes = (bytes: number): Record<string, string> => {
    const base = { type: 'track', userId: 'u1', event: 'Big', blob: '' };
    return { ...base, blob: 'x'.repeat(bytes - JSON.stringify(base).length) };
  };

  it('I-3 accepts a single event of exactly 32 KB and refuses one byte more with 400', async () => {
    const { app, enqueuer } = setup();
    expect((await post(app, '/v1/track', eventOfBytes(32 * 1024))).statusCode).toBe(200);
    const over = await post(app, '/v1/track', eventOfBytes(32 * 1024 + 1));
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({
      success: false,
      error: { code: 'event_too_large', message: 'event exceeds the 32 KB per-event limit' },
    });
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-3 rejects only the oversized event of a batch', async () => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/batch', {
      batch: [eventOfBytes(1000), eventOfBytes(32 * 1024 + 1)],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ accepted: 1, rejected: [{ index: 1, code: 'event_too_large' }] });
    expect(enqueuer.events).toHaveLength(1);
  });

  const batchOfBytes = (bytes: number): string => {
    const events = Array.from({ length: 15 }, () => eventOfBytes(30 * 1024));
    const body = { batch: events, pad: '' };
    return JSON.stringify({ ...body, pad: 'p'.repeat(bytes - JSON.stringify(body).length) });
  };

  it('I-3 accepts a batch of exactly 500 KB and refuses one byte more with 413 naming the limit', async () => {
    const { app, enqueuer } = setup();
    const under = batchOfBytes(500 * 1024);
    expect(Buffer.byteLength(under)).toBe(500 * 1024);
    expect((await post(app, '/v1/batch', under)).statusCode).toBe(200);
    const over = await post(app, '/v1/batch', batchOfBytes(500 * 1024 + 1));
    expect(over.statusCode).toBe(413);
    expect(over.json()).toEqual({
      success: false,
      error: {
        code: 'batch_too_large',
        message: 'batch exceeds the 500 KB per-batch limit (after decompression)',
      },
    });
    expect(enqueuer.events).toHaveLength(15);
  });

  it('I-3 counts the limit after decompression', async () => {
    const { app, enqueuer } = setup();
    const body = gzipSync(Buffer.from(batchOfBytes(500 * 1024 + 1)));
    expect(body.length).toBeLessThan(100 * 1024);
    const response = await post(app, '/v1/batch', body, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-3 refuses a gzip bomb (1 GB of zeros in ~1 MB) early with 413', async () => {
    const { app, enqueuer } = setup();
    // 1024 concatenated gzip members of 1 MB of zeros each: a valid 1 GB stream of ~1 MB.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 1024 }, () => member));
    expect(bomb.length).toBeLessThan(1.5 * 1024 * 1024);
    const started = process.memoryUsage().arrayBuffers;
    const response = await post(app, '/v1/batch', bomb, { 'content-encoding': 'gzip' });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('batch_too_large');
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(32 * 1024 * 1024);
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-3 honours configured limits', async () => {
    const { app } = setup({ limits: { maxEventBytes: 200 } });
    expect((await post(app, '/v1/track', eventOfBytes(201))).statusCode).toBe(400);
  });

  it('L-5 takes replayed batches up to 4 MB (500 KB is for Segment routes) and refuses more with 413', async () => {
    const replay = new RecordingEnqueuer();
    const deletions = { request: () => Promise.resolve(undefined), report: () => Promise.resolve(undefined) };
    const { app } = setup({ admin: { token: 'adm', replay, deletions } });
    const events = (count: number, from: number): Record<string, string>[] =>
      Array.from({ length: count }, (_, i) => ({ ...eventOfBytes(1000), messageId: `m-${from + i}` }));
    const admin = { authorization: 'Bearer adm' };
    const large = { batch: events(3_000, 0) };
    expect(Buffer.byteLength(JSON.stringify(large))).toBeGreaterThan(2.5 * 1024 * 1024);
    const taken = await post(app, '/v1/replay', large, admin);
    expect(taken.statusCode).toBe(200);
    expect(taken.json()).toMatchObject({ accepted: 3_000, stored: 3_000 });
    expect(replay.events).toHaveLength(3_000);
    const tooLarge = await post(app, '/v1/replay', { batch: events(4_300, 3_000) }, admin);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toEqual({
      code: 'batch_too_large',
      message: 'batch exceeds the 4096 KB per-batch limit (after decompression)',
    });
    expect(replay.events).toHaveLength(3_000);
  });
});
