import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WRITE_KEY, basic, post, testIngestApps, validByType } from './ingest-app-fixture.js';

const { setup, closeAll } = testIngestApps();
afterEach(closeAll);

describe('I-2 auth', () => {
  it('I-2 accepts HTTP Basic auth with the write key as user name', async () => {
    const { app, enqueuer } = setup();
    expect((await post(app, '/v1/identify', validByType.identify)).statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-2 accepts writeKey in the body of a batch', async () => {
    const { app, enqueuer } = setup();
    const response = await post(
      app,
      '/v1/b',
      { writeKey: WRITE_KEY, batch: [{ type: 'page', ...validByType.page }] },
      { authorization: '' },
    );
    expect(response.statusCode).toBe(200);
    expect(enqueuer.events).toHaveLength(1);
  });

  it.each([
    {
      name: 'no write key',
      headers: { authorization: '' },
      body: validByType.identify,
      message: /write key is required/,
    },
    {
      name: 'an unknown Basic key',
      headers: { authorization: basic('wk_other') },
      body: validByType.identify,
      message: /unknown write key/,
    },
    {
      name: 'an unknown body key',
      headers: { authorization: '' },
      body: { ...validByType.identify, writeKey: 'wk_other' },
      message: /unknown write key/,
    },
  ])('I-2 answers 401 to $name and stores nothing', async ({ headers, body, message }) => {
    const { app, enqueuer } = setup();
    const response = await post(app, '/v1/identify', body, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ success: false, error: { code: 'unauthorized', message } });
    expect(response.body).not.toContain('wk_other');
    expect(enqueuer.events).toHaveLength(0);
  });

  it('I-2 never writes the write key or Authorization header to the logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const { app } = setup({ logger: pino({ level: 'trace' }, sink) });
    await post(app, '/v1/identify', validByType.identify);
    await post(
      app,
      '/v1/identify',
      { ...validByType.identify, writeKey: 'wk_secret_body' },
      { authorization: '' },
    );
    await post(app, '/v1/batch', `{"writeKey":"wk_secret_json",`, {
      authorization: basic('wk_secret_basic'),
    });
    const log = lines.join('');
    expect(log).toContain('ingest request refused');
    for (const secret of [
      WRITE_KEY,
      'wk_secret_body',
      'wk_secret_json',
      'wk_secret_basic',
      Buffer.from(`${WRITE_KEY}:`).toString('base64'),
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
