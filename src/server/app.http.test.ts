import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../delivery/store/enqueue.js';
import { createIngestApp } from './app.js';

const WRITE_KEY = 'wk_node_7c1e';

/** Stores events once per messageId, as the real store does (I-5), and can fail the first N calls. */
class DedupingEnqueuer implements Enqueuer {
  readonly events: IncomingEvent[] = [];
  readonly calls: number[] = [];
  constructor(private failuresLeft = 0) {}
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    this.calls.push(events.length);
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.reject(new TypeError('store briefly unavailable'));
    }
    const fresh = events.filter(
      (incoming) => !this.events.some((stored) => stored.event.messageId === incoming.event.messageId),
    );
    this.events.push(...fresh);
    return Promise.resolve({ stored: fresh.length, duplicates: events.length - fresh.length });
  }
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function listen(enqueuer: Enqueuer): Promise<string> {
  const app = createIngestApp({
    sources: new Map([[WRITE_KEY, { sourceId: 'backend', destinationId: 'intercom-main' }]]),
    enqueuer,
  });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Posts raw bytes over a real socket and returns the status and body (the server may close the connection). */
function rawPost(
  base: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-length': String(body.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    // The server may answer and close before it has read everything we send.
    req.on('error', (error) =>
      error.message.includes('EPIPE') || error.message.includes('ECONNRESET') ? undefined : reject(error),
    );
    req.end(body);
  });
}

describe('real Segment clients over loopback HTTP', () => {
  it('I-1 I-2 @segment/analytics-node delivers identify and track through /v1/batch with Basic auth', async () => {
    const enqueuer = new DedupingEnqueuer();
    const host = await listen(enqueuer);
    const analytics = new Analytics({ writeKey: WRITE_KEY, host, flushAt: 2, maxRetries: 0 });
    analytics.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } });
    analytics.track({ userId: 'user-1', event: 'Report Exported', properties: { format: 'csv' } });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(enqueuer.events.map((incoming) => incoming.event.type)).toEqual(['identify', 'track']);
    const [identify, track] = enqueuer.events;
    expect(identify).toMatchObject({
      sourceId: 'backend',
      event: { userId: 'user-1', traits: { email: 'ada@example.com' } },
    });
    expect(track?.event).toMatchObject({ event: 'Report Exported', properties: { format: 'csv' } });
    expect(track?.event.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
  });

  it('I-5 analytics-node retries a batch after a 503 and the store keeps each messageId once', async () => {
    const enqueuer = new DedupingEnqueuer(1);
    const host = await listen(enqueuer);
    const analytics = new Analytics({ writeKey: WRITE_KEY, host, flushAt: 1, maxRetries: 3 });
    analytics.track({ userId: 'user-2', event: 'Checkout Started' });
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(enqueuer.calls).toEqual([1, 1]);
    expect(enqueuer.events).toHaveLength(1);
  });

  it('I-3 an oversized batch gets its 413 over a real socket', async () => {
    const host = await listen(new DedupingEnqueuer());
    const body = Buffer.from(JSON.stringify({ batch: [], pad: 'x'.repeat(600 * 1024) }));
    const response = await rawPost(host, '/v1/batch', body, {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'batch_too_large' } });
  });

  it('I-3 a gzip bomb gets its 413 over a real socket', async () => {
    const host = await listen(new DedupingEnqueuer());
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 256 }, () => member));
    const response = await rawPost(host, '/v1/batch', bomb, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(response.status).toBe(413);
  });
});
