import type { AddressInfo } from 'node:net';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../../src/delivery/store/enqueue.js';
import { createIngestApp, type IngestOptions } from '../../src/server/app.js';

/** The write key of the hostile-input tests. */
export const WRITE_KEY = 'wk_hostile_3b7d';

/** HTTP Basic auth as Segment's libraries send it (I-2). */
export const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** Records what was enqueued, deduplicating by messageId like the real store (I-5). */
export class RecordingEnqueuer implements Enqueuer {
  readonly events: IncomingEvent[] = [];
  readonly #seen = new Set<string>();
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    let stored = 0;
    for (const incoming of events) {
      if (this.#seen.has(incoming.event.messageId)) continue;
      this.#seen.add(incoming.event.messageId);
      this.events.push(incoming);
      stored += 1;
    }
    return Promise.resolve({ stored, duplicates: events.length - stored });
  }
}

/** An ingestion app with one source and a recording store. */
export function createHostileApp(overrides: Partial<IngestOptions> = {}): {
  app: FastifyInstance;
  enqueuer: RecordingEnqueuer;
} {
  const enqueuer = new RecordingEnqueuer();
  const app = createIngestApp({
    sources: new Map([[WRITE_KEY, { sourceId: 'web', destinationId: 'main' }]]),
    enqueuer,
    ...overrides,
  });
  return { app, enqueuer };
}

/** POSTs a raw body with the write key unless headers say otherwise. */
export function post(
  app: FastifyInstance,
  url: string,
  payload: string | Buffer,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const options: InjectOptions = {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY), ...headers },
    payload,
  };
  return app.inject(options);
}

/** Listens on a loopback port and returns it. */
export async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

/** The JSON error shape every refusal has: `{success: false, error: {code, message}}`. */
export function errorCode(body: string): string | undefined {
  const parsed = JSON.parse(body) as { success?: unknown; error?: { code?: unknown; message?: unknown } };
  if (parsed.success !== false || typeof parsed.error?.message !== 'string') return undefined;
  return typeof parsed.error.code === 'string' ? parsed.error.code : undefined;
}

/** The head of a raw HTTP/1.1 `POST /v1/batch` with the write key, this Content-Length and `extra` headers. */
export const head = (contentLength: number, extra = ''): string =>
  `POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: ${basic(WRITE_KEY)}\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;

/** A batch of one valid track event. */
export const validBatch = JSON.stringify({ batch: [{ type: 'track', userId: 'u1', event: 'Clicked' }] });
