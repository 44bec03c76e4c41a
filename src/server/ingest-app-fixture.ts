import type { FastifyInstance, InjectOptions } from 'fastify';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../delivery/store/enqueue.js';
import { createIngestApp, type IngestOptions } from './app.js';

/** The write key the test apps accept, for source `web` and destination `intercom-main`. */
export const WRITE_KEY = 'wk_live_4f9a';

/** The server clock of the test apps. */
export const NOW = new Date('2024-05-01T12:00:00.000Z');

/** HTTP Basic auth as Segment's libraries send it: the write key as user name, no password (I-2). */
export const basic = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** Records what was enqueued; `failWith` makes it throw like a broken store. */
export class RecordingEnqueuer implements Enqueuer {
  readonly events: IncomingEvent[] = [];
  failWith: Error | undefined = undefined;
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.events.push(...events);
    return Promise.resolve({ stored: events.length, duplicates: 0 });
  }
}

/** An ingestion app on a fixed clock with generated message ids `gen-1`, `gen-2`, … and its store. */
export interface TestIngestApp {
  readonly app: FastifyInstance;
  readonly enqueuer: RecordingEnqueuer;
}

/** Creates test apps (`setup`) and closes every one made so far (`closeAll`, for `afterEach`). */
export function testIngestApps(): {
  setup(overrides?: Partial<IngestOptions>): TestIngestApp;
  closeAll(): Promise<void>;
} {
  const apps: FastifyInstance[] = [];
  const sources = new Map([[WRITE_KEY, { sourceId: 'web', destinationId: 'intercom-main' }]]);
  return {
    setup(overrides = {}) {
      const enqueuer = new RecordingEnqueuer();
      let id = 0;
      const app = createIngestApp({
        sources,
        enqueuer,
        clock: { now: () => NOW.getTime() },
        newMessageId: () => `gen-${++id}`,
        ...overrides,
      });
      apps.push(app);
      return { app, enqueuer };
    },
    async closeAll() {
      await Promise.all(apps.splice(0).map((app) => app.close()));
    },
  };
}

/** POSTs JSON (or a raw string or buffer) with the write key, unless `headers` say otherwise. */
export async function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
  const options: InjectOptions = {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', authorization: basic(WRITE_KEY), ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  };
  return app.inject(options);
}

/** One valid single event of each type, without its `type` (the route gives it). */
export const validByType = {
  identify: { userId: 'u1', traits: { email: 'ada@example.com' } },
  track: { userId: 'u1', event: 'Signed Up' },
  page: { anonymousId: 'a1', name: 'Home' },
  screen: { anonymousId: 'a1', name: 'Settings' },
  group: { userId: 'u1', groupId: 'g1' },
  alias: { userId: 'u1', previousId: 'a1' },
} as const;
