/**
 * Ingestion throughput and acknowledgement latency of `/v1/batch` (issue #7), beside a baseline measured
 * in the same run: a bare Fastify server that only parses the same JSON and answers 200.
 *
 * The product runs as `npm start` runs `serve` (compiled, real SQLite store, synchronous=FULL, group commit, LOG_LEVEL=info) in its
 * own process with Intercom unreachable, so no delivery succeeds and every event stays queued; the
 * load generator is a third process. After the run the store is opened and its receipts counted: every
 * acknowledged event must be found there, except those skipped at ingestion (page, screen, alias:
 * nothing to send to Intercom, never queued), which are read from the `/metrics` skipped counter.
 *
 * Run: `npx tsx bench/ingest.ts [seconds per phase, default 10] [connections, default 8] [clustered] [postgres] [console]`:
 * messageIds are random UUIDs, as analytics.js sends (default), or share a prefix per request (`clustered`,
 * the runs before 2026-11-28 22:00 UTC), which puts them next to each other in the store's dedupe index.
 * With `postgres`, the queue is a throwaway PostgreSQL server on this machine (fsync on, as in
 * production) given to `serve` as DATABASE_URL, instead of SQLite. With `console`, `serve` runs with
 * ADMIN_TOKEN set: the operator console on, recording its per-minute history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startTestPostgres } from '../test/delivery-postgres-server.js';
import type { LoadResult } from './ingest-load.js';
import { buildProduct, type MessageIds, runLoad, startProduct, startServer } from './ingest-process.js';

const SECONDS = Number(process.argv[2] ?? '10');
const CONNECTIONS = Number(process.argv[3] ?? '8');
const FLAGS = process.argv.slice(4);
const IDS: MessageIds = FLAGS.includes('clustered') ? 'clustered' : 'random';
const POSTGRES = FLAGS.includes('postgres');
const CONSOLE = FLAGS.includes('console');
const TARGET_RATE = 5_000;
const WRITE_KEY = 'bench-write-key';

function row(name: string, r: LoadResult): string {
  const statuses = Object.entries(r.statuses)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return `| ${name} | ${Math.round(r.eventsPerSecond).toLocaleString('en')} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.maxMs.toFixed(1)} | ${statuses} |`;
}

async function measureBaseline(): Promise<{ closed: LoadResult; rate: LoadResult }> {
  const server = await startServer('bench/ingest-baseline.ts', [], {}, /listening (\S+)/);
  try {
    const closed = await runLoad(server.url, WRITE_KEY, SECONDS, 'closed', CONNECTIONS, 'mixed', IDS);
    const rate = await runLoad(server.url, WRITE_KEY, SECONDS, 'rate', TARGET_RATE, 'mixed', IDS);
    return { closed, rate };
  } finally {
    await server.stop();
  }
}

async function measureProduct(): Promise<{
  closed: LoadResult;
  rate: LoadResult;
  durable: number;
  skipped: number;
  rssMb: number;
}> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-ingest-'));
  const postgres = POSTGRES ? await startTestPostgres({ durable: true }) : undefined;
  buildProduct();
  const server = await startProduct({
    dataDir,
    writeKey: WRITE_KEY,
    logLevel: 'info',
    ...(postgres !== undefined ? { databaseUrl: postgres.url } : {}),
    ...(CONSOLE ? { env: { ADMIN_TOKEN: 'bench-admin-token-0123456789' } } : {}),
  });
  let rssMb = 0;
  try {
    const closed = await runLoad(server.url, WRITE_KEY, SECONDS, 'closed', CONNECTIONS, 'mixed', IDS);
    const rate = await runLoad(server.url, WRITE_KEY, SECONDS, 'rate', TARGET_RATE, 'mixed', IDS);
    rssMb = server.rssMb();
    const skipped = await skippedAtIngest(server.url);
    await server.stop();
    const durable = postgres === undefined ? sqliteReceipts(dataDir) : await postgresReceipts(postgres.url);
    return { closed, rate, durable, skipped, rssMb };
  } finally {
    if (server.child.exitCode === null) await server.stop();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function sqliteReceipts(dataDir: string): number {
  const db = new Database(path.join(dataDir, 'delivery.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS count FROM receipts').get() as { count: number }).count;
  } finally {
    db.close();
  }
}

async function postgresReceipts(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM receipts');
    return Number(result.rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

/** Sum of the product's `delivery_jobs_skipped_total` (the worker skips nothing here: Intercom is down). */
async function skippedAtIngest(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('delivery_jobs_skipped_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

const baseline = await measureBaseline();
const product = await measureProduct();
const acked = [product.closed, product.rate].reduce((n, r) => n + r.ackedEvents + r.warmupAckedEvents, 0);
const ratio = product.closed.eventsPerSecond / baseline.closed.eventsPerSecond;

process.stdout.write(
  [
    `ingestion benchmark (${POSTGRES ? 'PostgreSQL' : 'SQLite'} queue): ${SECONDS} s per phase, ${CONNECTIONS} connections (closed loop), ${TARGET_RATE} events/s (open loop), 100-event batches, ${IDS} messageIds`,
    '',
    '| run | events/s | p50 ms | p99 ms | max ms | answers |',
    '|---|---:|---:|---:|---:|---|',
    row(`baseline, closed loop ×${CONNECTIONS}`, baseline.closed),
    row(`product, closed loop ×${CONNECTIONS}`, product.closed),
    row(`baseline, ${TARGET_RATE} events/s offered`, baseline.rate),
    row(`product, ${TARGET_RATE} events/s offered`, product.rate),
    '',
    `product / baseline events/s (closed loop): ${(ratio * 100).toFixed(0)} %`,
    `acknowledged events: ${acked}; found in the store after the run: ${product.durable}, skipped at ingestion: ${product.skipped} (${acked === product.durable + product.skipped ? 'all durable or skipped' : 'MISMATCH'})`,
    `product RSS at the end: ${product.rssMb.toFixed(0)} MB`,
    '',
  ].join('\n'),
);
