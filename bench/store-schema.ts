/**
 * Whether a schema with compact index keys would store a replay faster (docs/future-work.md, "Storing
 * a replay faster"). Each variant fills a fresh on-disk database (the page size of a new store file,
 * WAL, synchronous=FULL, one fsync per group, checkpoints on a second connection every 4 groups as
 * `serve`'s checkpoint thread does) with
 * replayed events — track and identify with analytics.js's context, random messageIds (UUID v4),
 * 10,000 users — in groups the size of a replay group commit:
 *
 * - today: the store as `serve` runs it (`SqliteJobStore.enqueueRows`, the migrated schema): a receipt
 *   keyed by (source, messageId, destination) texts, a job indexed by (destination, lane key) texts
 * - compact keys, a sketch of the proposal: the receipt keyed by a 16-byte SHA-256 prefix of the same
 *   three values, the job indexed by an integer lane id (kept in a map here, as an id cache would)
 *
 * Reported: events stored per second (the time to build the rows left out) and the process's CPU per
 * event, user and kernel (building the rows included, the same work in both).
 * Run: `npx tsx bench/store-schema.ts [events, default 1000000] [events per group, default 5500]`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueuedRow } from '../src/delivery/store/queued-row.js';
import { migrate } from '../src/delivery/store/sqlite/schema.js';
import { createSqliteJobStore, NEW_DATABASE_PAGE_BYTES } from '../src/delivery/store/sqlite/sqlite-store.js';
import { queuedRows } from './queued-rows.js';

const EVENTS = Number(process.argv[2] ?? '1000000');
const GROUP_SIZE = Number(process.argv[3] ?? '5500');
const USERS = 10_000;
const CHECKPOINT_EVERY_GROUPS = 4;

const group = (start: number): QueuedRow[] =>
  queuedRows(start, GROUP_SIZE, {
    laneOf: () => `user-${Math.floor(Math.random() * USERS)}`,
    receivedAt: () => new Date().toISOString(),
    replayed: true,
  });

const COMPACT_SCHEMA = `
  CREATE TABLE receipts (digest BLOB PRIMARY KEY, received_at_ms INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX receipts_received_at ON receipts (received_at_ms);
  CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, source_id TEXT NOT NULL, message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL, lane_key TEXT NOT NULL, lane_id INTEGER NOT NULL, event_json TEXT NOT NULL,
    received_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
    run_at_ms INTEGER NOT NULL DEFAULT 0, locked_by TEXT, locked_until_ms INTEGER, first_attempt_at_ms INTEGER,
    last_error TEXT, history_json TEXT NOT NULL DEFAULT '[]', is_head INTEGER NOT NULL DEFAULT 0,
    replayed INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL DEFAULT 'event');
  CREATE INDEX jobs_lane ON jobs (lane_id, status, seq);
  CREATE INDEX jobs_candidates ON jobs (replayed, seq) WHERE is_head = 1 OR status = 'parked';
  CREATE INDEX jobs_leased ON jobs (lane_id) WHERE locked_until_ms IS NOT NULL;`;

type Writer = (rows: readonly QueuedRow[]) => unknown;

function today(db: Database.Database): Writer {
  migrate(db);
  const store = createSqliteJobStore(db);
  return (rows) => store.enqueueRows(rows);
}

function compactKeys(db: Database.Database): Writer {
  db.exec(COMPACT_SCHEMA);
  const lanes = new Map<string, number>();
  const receipt = db.prepare('INSERT INTO receipts VALUES (?, ?) ON CONFLICT DO NOTHING');
  const job = db.prepare(`
    INSERT INTO jobs (source_id, message_id, destination_id, lane_key, lane_id, event_json, received_at, replayed, is_head)
    VALUES (?, ?, ?, ?, ?, ?, ?, 1, NOT EXISTS (SELECT 1 FROM jobs WHERE lane_id = ? AND status = 'pending'))`);
  return db.transaction((rows: readonly QueuedRow[]) => {
    for (const r of rows) {
      const digest = createHash('sha256')
        .update(`${r.sourceId}\0${r.messageId}\0${r.destinationId}`)
        .digest()
        .subarray(0, 16);
      if (receipt.run(digest, Date.parse(r.receivedAt)).changes === 0) continue;
      const laneId = lanes.get(`${r.destinationId}\0${r.laneKey}`) ?? lanes.size + 1;
      lanes.set(`${r.destinationId}\0${r.laneKey}`, laneId);
      job.run(r.sourceId, r.messageId, r.destinationId, r.laneKey, laneId, r.eventJson, r.receivedAt, laneId);
    }
  });
}

const VARIANTS: Record<string, (db: Database.Database) => Writer> = {
  today,
  'compact keys': compactKeys,
};

interface Result {
  readonly perSecond: number;
  readonly userUs: number;
  readonly systemUs: number;
}

async function run(open: (db: Database.Database) => Writer): Promise<Result> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-schema-'));
  const file = path.join(dir, 'store.sqlite');
  const db = new Database(file);
  db.pragma(`page_size = ${NEW_DATABASE_PAGE_BYTES}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  const write = open(db);
  const checkpointer = new Database(file);
  let storingMs = 0;
  const cpuStart = process.cpuUsage();
  for (let done = 0, groups = 0; done < EVENTS; done += GROUP_SIZE, groups += 1) {
    const rows = group(done);
    const started = performance.now();
    await write(rows);
    if (groups % CHECKPOINT_EVERY_GROUPS === 0) checkpointer.pragma('wal_checkpoint(PASSIVE)');
    storingMs += performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuStart);
  checkpointer.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: EVENTS / (storingMs / 1000), userUs: cpu.user / EVENTS, systemUs: cpu.system / EVENTS };
}

const results: [string, Result][] = [];
for (const [name, open] of Object.entries(VARIANTS)) {
  const result = await run(open);
  results.push([name, result]);
  process.stderr.write(`${name}: ${Math.round(result.perSecond)} events/s\n`);
}
const base = results[0]?.[1].perSecond ?? NaN;
console.log(
  `${EVENTS.toLocaleString('en')} replayed events in groups of ${GROUP_SIZE.toLocaleString('en')}, ${USERS.toLocaleString('en')} users:\n`,
);
console.log('| variant | events/s stored | × today | CPU µs per event (user + kernel) |');
console.log('|---|---:|---:|---:|');
for (const [name, r] of results) {
  console.log(
    `| ${name} | ${Math.round(r.perSecond).toLocaleString('en')} | ${(r.perSecond / base).toFixed(2)} | ${r.userUs.toFixed(0)} + ${r.systemUs.toFixed(0)} |`,
  );
}
