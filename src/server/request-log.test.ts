import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createIngestApp } from './app.js';

const WRITE_KEY = 'wk_reqlog_51c';

/** An app whose JSON log lines are collected. */
function setup(): { app: ReturnType<typeof createIngestApp>; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const app = createIngestApp({
    sources: new Map([[WRITE_KEY, { sourceId: 'web', destinationId: 'main' }]]),
    enqueuer: { enqueue: (events) => Promise.resolve({ stored: events.length, duplicates: 0 }) },
    logger: pino({ level: 'info' }, sink),
  });
  const lines = (): Record<string, unknown>[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { app, lines };
}

const track = JSON.stringify({ writeKey: WRITE_KEY, userId: 'u1', event: 'Clicked' });

describe('structured request logs', () => {
  it('gives every request an id, answers it in X-Request-Id and puts it on each log line', async () => {
    const { app, lines } = setup();
    const response = await app.inject({ method: 'POST', url: '/v1/t', payload: track });
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const logged = lines().filter((line) => line['reqId'] === id);
    expect(logged.map((line) => line['msg'])).toEqual(['incoming request', 'request completed']);
    await app.close();
  });

  it('keeps a plain client request id and replaces one that could forge log content', async () => {
    const { app } = setup();
    const kept = await app.inject({
      method: 'POST',
      url: '/v1/t',
      payload: track,
      headers: { 'x-request-id': 'lb-7f3a.42' },
    });
    expect(kept.headers['x-request-id']).toBe('lb-7f3a.42');
    const replaced = await app.inject({
      method: 'POST',
      url: '/v1/t',
      payload: track,
      headers: { 'x-request-id': 'x"}\n{"level":60' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await app.close();
  });

  it('logs the path without the query string, where a careless client may put its write key', async () => {
    const { app, lines } = setup();
    await app.inject({ method: 'POST', url: `/v1/t?writeKey=${WRITE_KEY}`, payload: track });
    const incoming = lines().find((line) => line['msg'] === 'incoming request');
    expect(incoming?.['req']).toMatchObject({ method: 'POST', path: '/v1/t' });
    expect(JSON.stringify(lines())).not.toContain(WRITE_KEY);
    await app.close();
  });
});
