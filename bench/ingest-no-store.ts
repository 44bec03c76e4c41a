/**
 * The product's ingestion without its store, for `bench/ingest-ceiling.ts`: the same Fastify app,
 * body parser, write-key auth, batch parsing, skip-at-ingestion mapping, metrics and request logging
 * (pino at info, to stderr) as `serve`, and each deliverable event serialised into its queued row as
 * the store's client does on the main thread; the rows are then dropped and the request answered at
 * once. What it reaches is the ceiling of the main thread's work, whatever the store costs.
 * Prints `listening <url>` once ready. Run: `npx tsx bench/ingest-no-store.ts <write key>`.
 */
import pino from 'pino';
import { Registry } from 'prom-client';
import { skipAtIngest } from '../src/delivery/intake/skip-at-ingest.js';
import type { Enqueuer } from '../src/delivery/store/enqueue.js';
import { toQueuedRow } from '../src/delivery/store/queued-row.js';
import { DEFAULT_MAPPING_SETTINGS } from '../src/mapping/settings.js';
import { createIngestApp } from '../src/server/app.js';
import { createIngestMetrics } from '../src/server/metrics.js';

const writeKey = process.argv[2] ?? 'bench-write-key';
let rows = 0;
const noStore: Enqueuer = {
  enqueue(events) {
    rows += events.map(toQueuedRow).length;
    return Promise.resolve({ stored: events.length, duplicates: 0 });
  },
};
const app = createIngestApp({
  sources: new Map([[writeKey, { sourceId: 'bench', destinationId: 'default' }]]),
  enqueuer: skipAtIngest({
    store: noStore,
    settings: () => DEFAULT_MAPPING_SETTINGS,
    onSkipped: () => undefined,
  }),
  metrics: createIngestMetrics(new Registry()),
  logger: pino({ level: 'info' }, pino.destination(2)),
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${url}\n`);
process.once('SIGTERM', () => {
  process.stdout.write(`rows built ${rows}\n`);
  void app.close().then(() => process.exit(0));
});
