/**
 * Memory with a million events queued (issue #7): `serve` runs with Intercom unreachable, so nothing
 * is delivered, and batches of track/identify events (none of which the worker can skip) are posted
 * until a million are acknowledged. The server's RSS is sampled every half second, and ingestion speed
 * is reported per chunk, to show it neither grows with the queue nor slows down.
 *
 * Run: `npx tsx bench/ingest-memory.ts [events, default 1000000] [connections, default 8] [source]`.
 * `serve` runs as `npm start` runs it: compiled into dist/node/ and started by plain `node`. With
 * `source`, it runs from the TypeScript sources through tsx's loader instead (how `npm start` ran it
 * before 2026-11-29), to show what the loader costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildProduct, runLoad, startProduct } from './ingest-process.js';

const TARGET = Number(process.argv[2] ?? '1000000');
const CONNECTIONS = Number(process.argv[3] ?? '8');
const FROM_SOURCE = process.argv[4] === 'source';
const CHUNK_SECONDS = 10;
const WRITE_KEY = 'bench-write-key';

if (!FROM_SOURCE) buildProduct();
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-memory-'));
const server = await startProduct({
  dataDir,
  writeKey: WRITE_KEY,
  logLevel: 'warn',
  fromSource: FROM_SOURCE,
});
const startRssMb = server.rssMb();
let maxRssMb = startRssMb;
const sampler = setInterval(() => {
  maxRssMb = Math.max(maxRssMb, server.rssMb());
}, 500);

const lines: string[] = [];
let acked = 0;
const startedAt = performance.now();
try {
  while (acked < TARGET) {
    const result = await runLoad(server.url, WRITE_KEY, CHUNK_SECONDS, 'closed', CONNECTIONS, 'queued');
    acked += result.ackedEvents + result.warmupAckedEvents;
    const rss = server.rssMb();
    maxRssMb = Math.max(maxRssMb, rss);
    const line = `queued ${acked.toLocaleString('en').padStart(10)}  ${Math.round(result.eventsPerSecond).toLocaleString('en').padStart(7)} events/s  p99 ${result.p99Ms.toFixed(0).padStart(4)} ms  RSS ${rss.toFixed(0)} MB`;
    lines.push(line);
    process.stderr.write(`${line}\n`);
  }
} finally {
  clearInterval(sampler);
  await server.stop();
}
const db = new Database(path.join(dataDir, 'delivery.sqlite'), { readonly: true });
const { count } = db.prepare('SELECT COUNT(*) AS count FROM jobs').get() as { count: number };
db.close();
rmSync(dataDir, { recursive: true, force: true });
const minutes = (performance.now() - startedAt) / 60_000;
process.stdout.write(
  [
    `memory benchmark (${FROM_SOURCE ? 'from source through tsx' : 'compiled, as npm start runs it'}): ${acked.toLocaleString('en')} events acknowledged in ${minutes.toFixed(1)} min, Intercom unreachable, ${CONNECTIONS} connections`,
    ...lines,
    `jobs in the store at the end: ${count.toLocaleString('en')}`,
    `RSS at start ${startRssMb.toFixed(0)} MB, highest ${maxRssMb.toFixed(0)} MB (sampled every 0.5 s)`,
    '',
  ].join('\n'),
);
