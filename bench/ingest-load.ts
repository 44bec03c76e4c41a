/**
 * Load generator of the ingestion benchmarks, run as its own process so it does not share an event
 * loop with the server. Posts 100-event batches to `<url>/v1/batch` over keep-alive connections and
 * prints one JSON line: acknowledged events, events/s and acknowledgement latency percentiles.
 *
 * Closed loop (as fast as the server answers): `npx tsx bench/ingest-load.ts <url> <writeKey> <seconds> closed <connections>`
 * Open loop (a fixed offered rate):          `npx tsx bench/ingest-load.ts <url> <writeKey> <seconds> rate <events/s>`
 * A sixth argument `queued` sends only track and identify events (nothing a worker can skip). A seventh,
 * `clustered`, gives the events of one request ids sharing a prefix (`<pid>-<request>-<i>`, neighbours in
 * the store's dedupe index) instead of a random UUID each, as analytics.js sends.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { batchTemplate, type BatchMix, EVENTS_PER_BATCH } from './ingest-events.js';

/** What one run measured. */
export interface LoadResult {
  readonly requests: number;
  readonly ackedEvents: number;
  /** Acknowledged during the warm-up (stored too, not counted in the rate). */
  readonly warmupAckedEvents: number;
  readonly failedRequests: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const [
  url = '',
  writeKey = '',
  secondsArg = '10',
  mode = 'closed',
  amountArg = '8',
  mixArg = 'mixed',
  idsArg = 'random',
] = process.argv.slice(2);
const seconds = Number(secondsArg);
const amount = Number(amountArg);
const mix: BatchMix = mixArg === 'queued' ? 'queued' : 'mixed';
const parts = batchTemplate(writeKey, mix);
const agent = new Agent({ keepAlive: true, maxSockets: mode === 'closed' ? amount : 256 });
const target = new URL('/v1/batch', url);
const latenciesMs: number[] = [];
const statuses: Record<string, number> = {};
let sequence = 0;
let ackedEvents = 0;
let failedRequests = 0;

function post(): Promise<void> {
  sequence += 1;
  const body =
    idsArg === 'clustered'
      ? parts.join(`${process.pid}-${sequence}`)
      : parts.reduce((text, part) => `${text}${randomUUID()}${part}`);
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status === 200) {
            latenciesMs.push(performance.now() - startedAt);
            ackedEvents += EVENTS_PER_BATCH;
          } else failedRequests += 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      failedRequests += 1;
      statuses['error'] = (statuses['error'] ?? 0) + 1;
      resolve();
    });
    req.end(body);
  });
}

async function closedLoop(connections: number, endAt: number): Promise<void> {
  const loop = async (): Promise<void> => {
    while (performance.now() < endAt) await post();
  };
  await Promise.all(Array.from({ length: connections }, loop));
}

async function openLoop(eventsPerSecond: number, endAt: number): Promise<void> {
  const intervalMs = (1000 * EVENTS_PER_BATCH) / eventsPerSecond;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let i = 0; ; i += 1) {
    const due = start + i * intervalMs;
    if (due >= endAt) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = post().finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  // Warm the connections and the server's code paths before measuring.
  await Promise.all(Array.from({ length: 4 }, () => post()));
  const warmupAckedEvents = ackedEvents;
  latenciesMs.length = 0;
  ackedEvents = 0;
  failedRequests = 0;
  for (const key of Object.keys(statuses)) delete statuses[key];
  const startedAt = performance.now();
  const endAt = startedAt + seconds * 1000;
  if (mode === 'rate') await openLoop(amount, endAt);
  else await closedLoop(amount, endAt);
  const elapsed = (performance.now() - startedAt) / 1000;
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const result: LoadResult = {
    requests: latenciesMs.length + failedRequests,
    ackedEvents,
    warmupAckedEvents,
    failedRequests,
    statuses,
    seconds: elapsed,
    eventsPerSecond: ackedEvents / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  agent.destroy();
}

await main();
