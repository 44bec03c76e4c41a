/**
 * Memory with a million events queued (issue #7): `serve` runs with Intercom unreachable, so nothing
 * is delivered, and batches of track/identify events (none of which the worker can skip) are posted
 * until a million are acknowledged. The server's RSS is sampled every half second, and ingestion speed
 * is reported per chunk, to show it neither grows with the queue nor slows down.
 *
 * Run: `npx tsx bench/ingest-memory.ts [events, default 1000000] [connections, default 8] [dist]`.
 * With `dist`, the server is the compiled build (`npx tsc -p tsconfig.build.json` first) run by plain
 * `node`, without tsx's loader and its compiled-source cache; without it, `serve` runs as `npm start` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { closedPort, PRODUCT_NODE_FLAGS, runLoad, startServer } from './ingest-process.js';

const TARGET = Number(process.argv[2] ?? '1000000');
const CONNECTIONS = Number(process.argv[3] ?? '8');
const COMPILED = process.argv[4] === 'dist';
const CHUNK_SECONDS = 10;
const WRITE_KEY = 'bench-write-key';

const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-memory-'));
const server = await startServer(
  COMPILED ? 'dist/node/cli/main.js' : 'src/cli/main.ts',
  ['serve'],
  {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEGMENT_WRITE_KEY: WRITE_KEY,
    INTERCOM_ACCESS_TOKEN: 'bench-token',
    INTERCOM_API_URL: `http://127.0.0.1:${await closedPort()}`,
    LOG_LEVEL: 'warn',
  },
  /Segment ingestion\s+(\S+)/,
  PRODUCT_NODE_FLAGS,
);
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
    `memory benchmark (${COMPILED ? 'compiled build, plain node' : 'tsx, as npm start'}): ${acked.toLocaleString('en')} events acknowledged in ${minutes.toFixed(1)} min, Intercom unreachable, ${CONNECTIONS} connections`,
    ...lines,
    `jobs in the store at the end: ${count.toLocaleString('en')}`,
    `RSS at start ${startRssMb.toFixed(0)} MB, highest ${maxRssMb.toFixed(0)} MB (sampled every 0.5 s)`,
    '',
  ].join('\n'),
);
