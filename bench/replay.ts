/**
 * Replay of a million events from a gzip file (L-5): `serve` runs as `npm start` runs it, with Intercom
 * unreachable so nothing is delivered, and `replay` runs as `npm run replay` runs it, both compiled
 * and under plain Node. Reported: events stored per second (wall time of the replay process), the
 * highest RSS of each process (sampled every 200 ms), and, measured in the same run as a baseline,
 * reading + gunzip + JSON.parse of every line of the same file alone in this process.
 *
 * With `postgres`, the queue is a throwaway PostgreSQL server on this machine (fsync on), given to
 * `serve` as DATABASE_URL, instead of SQLite in its data directory.
 *
 * Run: `npx tsx bench/replay.ts [events, default 1000000] [users, default 10000] [connections, default 2] [postgres]`.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import {
  buildProduct,
  closedPort,
  PRODUCT_NODE_FLAGS,
  PRODUCT_SCRIPT,
  startServer,
} from './ingest-process.js';
import { startTestPostgres } from '../test/delivery-postgres-server.js';

const EVENTS = Number(process.argv[2] ?? '1000000');
const USERS = Number(process.argv[3] ?? '10000');
const CONNECTIONS = process.argv[4] ?? '2';
const POSTGRES = process.argv[5] === 'postgres';
const ADMIN_TOKEN = 'bench-admin-token';
const WRITE_KEY = 'bench-write-key';

/** One archive line: 1 identify in 10, else a track with properties, a random messageId (UUID v4). */
function line(i: number): string {
  const userId = `user-${(i * 7919) % USERS}`;
  const base = {
    messageId: randomUUID(),
    userId,
    timestamp: new Date(Date.UTC(2024, 0, 1) + i * 100).toISOString(),
  };
  if (i % 10 === 0) {
    return JSON.stringify({
      ...base,
      type: 'identify',
      traits: { email: `${userId}@example.com`, plan: 'pro', logins: i },
    });
  }
  const properties = {
    order_id: `o-${i}`,
    revenue: (i % 500) / 10,
    currency: 'usd',
    category: 'books',
    coupon: null,
  };
  const context = { library: { name: 'analytics-node', version: '2.1.0' }, ip: '203.0.113.7' };
  return JSON.stringify({ ...base, type: 'track', event: 'Order Completed', properties, context });
}

async function writeArchive(file: string): Promise<void> {
  const gzip = createGzip();
  const out = gzip.pipe(createWriteStream(file));
  for (let i = 0; i < EVENTS; i += 1) {
    if (!gzip.write(`${line(i)}\n`)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(out, 'finish');
}

async function baseline(file: string): Promise<number> {
  const started = performance.now();
  let lines = 0;
  const input = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(createGunzip());
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    JSON.parse(text);
    lines += 1;
  }
  return lines / ((performance.now() - started) / 1000);
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]) / 1024;
  } catch {
    return 0;
  }
}

buildProduct();
const dir = mkdtempSync(path.join(tmpdir(), 'bench-replay-'));
const file = path.join(dir, 'archive.jsonl.gz');
await writeArchive(file);
const baselineRate = await baseline(file);
const env = {
  HOST: '127.0.0.1',
  SEGMENT_WRITE_KEY: WRITE_KEY,
  INTERCOM_ACCESS_TOKEN: 'bench-token',
  INTERCOM_API_URL: `http://127.0.0.1:${await closedPort()}`,
  ADMIN_TOKEN,
  LOG_LEVEL: 'warn',
};
const postgres = POSTGRES ? await startTestPostgres({ durable: true }) : undefined;
const server = await startServer(
  PRODUCT_SCRIPT,
  ['serve'],
  {
    ...env,
    PORT: '0',
    DATA_DIR: path.join(dir, 'data'),
    ...(postgres !== undefined ? { DATABASE_URL: postgres.url } : {}),
  },
  /Segment ingestion\s+(\S+)/,
  PRODUCT_NODE_FLAGS,
);
const started = performance.now();
const replay = spawn(
  process.execPath,
  [PRODUCT_SCRIPT, 'replay', '--url', server.url, '--connections', CONNECTIONS, file],
  {
    env: { PATH: process.env['PATH'] ?? '', ...env, PORT: '1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
let summary = '';
replay.stdout.on('data', (chunk: Buffer) => (summary += chunk.toString()));
let replayMaxMb = 0;
let serveMaxMb = 0;
const sampler = setInterval(() => {
  replayMaxMb = Math.max(replayMaxMb, rssMb(replay.pid));
  serveMaxMb = Math.max(serveMaxMb, server.rssMb());
}, 200);
const [code] = (await once(replay, 'exit')) as [number];
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const stored = Number(/stored ([\d,]+)/.exec(summary)?.[1]?.replaceAll(',', '') ?? 'NaN');
await server.stop();
await postgres?.stop();
console.log(summary.trim());
console.log(
  JSON.stringify({
    events: EVENTS,
    users: USERS,
    connections: Number(CONNECTIONS),
    store: POSTGRES ? 'postgres' : 'sqlite',
    fileMb: Math.round(statSync(file).size / 1024 / 1024),
    exitCode: code,
    seconds: Math.round(seconds * 10) / 10,
    storedPerSecond: Math.round(stored / seconds),
    baselineLinesPerSecond: Math.round(baselineRate),
    replayMaxRssMb: Math.round(replayMaxMb),
    serveMaxRssMb: Math.round(serveMaxMb),
  }),
);
rmSync(dir, { recursive: true, force: true });
