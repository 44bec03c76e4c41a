/**
 * Where the store's time goes per queued event (issue #7): the same realistic events (track and
 * identify with analytics.js context, random messageIds like analytics.js sends, 500 users) written
 * in groups the size of one group commit under load, each variant in a fresh on-disk database (WAL):
 *
 * - baseline: each event's JSON as one row of a bare table (rowid only, no index)
 * - receipt: the I-5 dedupe row alone
 * - job row, no index: the job's row without the lane index and the lane-head lookup
 * - job row as stored: the job's row with the store's indexes and lane-head lookup
 * - enqueue: `SqliteJobStore.enqueueRows` (receipt + job), synchronous=FULL: one fsync per group
 *
 * The first four run with synchronous=NORMAL (no fsync) to show CPU and WAL writing alone.
 * Run: `npx tsx bench/store-insert.ts [groups, default 200] [events per group, default 150]`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueuedRow } from '../src/delivery/store/queued-row.js';
import { laneStatements } from '../src/delivery/store/sql/lane-statements.js';
import { SQLITE_DIALECT } from '../src/delivery/store/sqlite/dialect.js';
import { migrate } from '../src/delivery/store/sqlite/schema.js';
import { createSqliteJobStore, openSqliteStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import { batchTemplate } from './ingest-events.js';

const GROUPS = Number(process.argv[2] ?? '200');
const GROUP_SIZE = Number(process.argv[3] ?? '150');
const ROUNDS = 2;

/** `GROUPS × GROUP_SIZE` queued rows, every messageId random. */
function rows(): QueuedRow[] {
  const template = batchTemplate('k', 'queued');
  const out: QueuedRow[] = [];
  while (out.length < GROUPS * GROUP_SIZE) {
    const body = JSON.parse(template.join('x')) as { batch: Record<string, unknown>[] };
    for (const event of body.batch) {
      const messageId = randomUUID();
      const userId = String(event['userId']);
      out.push({
        sourceId: 'source-1',
        destinationId: 'dest-1',
        messageId,
        laneKey: userId,
        eventJson: JSON.stringify({ ...event, messageId }),
        receivedAt: '2024-05-01T12:00:01.000Z',
        replayed: false,
      });
    }
  }
  return out.slice(0, GROUPS * GROUP_SIZE);
}

type Variant = (file: string) => {
  write(group: readonly QueuedRow[]): void | Promise<unknown>;
  close(): void;
};

function openDb(file: string, schema: 'store' | 'bare'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (schema === 'store') migrate(db);
  else db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return db;
}

const VARIANTS: Record<string, Variant> = {
  baseline: (file) => {
    const db = openDb(file, 'bare');
    const insert = db.prepare('INSERT INTO events (body) VALUES (?)');
    const write = db.transaction((group: readonly QueuedRow[]) =>
      group.forEach((r) => insert.run(r.eventJson)),
    );
    return { write, close: () => db.close() };
  },
  receipt: (file) => {
    const db = openDb(file, 'store');
    const insert = db.prepare(
      'INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const write = db.transaction((group: readonly QueuedRow[]) =>
      group.forEach((r) => insert.run(r.sourceId, r.messageId, r.destinationId, 1_714_564_801_000)),
    );
    return { write, close: () => db.close() };
  },
  'job row, no index': (file) => {
    const db = openDb(file, 'store');
    db.exec('DROP INDEX jobs_lane; DROP INDEX jobs_candidates; DROP INDEX jobs_leased');
    const insert = db.prepare(
      `INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
       VALUES (?, ?, ?, ?, ?, ?, '[]', 0)`,
    );
    const write = db.transaction((group: readonly QueuedRow[]) =>
      group.forEach((r) =>
        insert.run(r.sourceId, r.messageId, r.destinationId, r.laneKey, r.eventJson, r.receivedAt),
      ),
    );
    return { write, close: () => db.close() };
  },
  'job row as stored': (file) => {
    const db = openDb(file, 'store');
    const insert = db.prepare(laneStatements(SQLITE_DIALECT).insertJob.sql);
    const write = db.transaction((group: readonly QueuedRow[]) =>
      group.forEach((r) =>
        insert.run({
          source: r.sourceId,
          message: r.messageId,
          destination: r.destinationId,
          lane: r.laneKey,
          event: r.eventJson,
          receivedAt: r.receivedAt,
          history: '[]',
        }),
      ),
    );
    return { write, close: () => db.close() };
  },
  'enqueue (FULL, fsync)': (file) => {
    const store = openSqliteStore({ path: file });
    return { write: (group) => store.enqueueRows(group), close: () => void store.close() };
  },
  'enqueue, checkpoints elsewhere': (file) => {
    // The writer never checkpoints (another connection would): its own cost only.
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('wal_autocheckpoint = 0');
    migrate(db);
    const store = createSqliteJobStore(db);
    return { write: (group) => store.enqueueRows(group), close: () => void store.close() };
  },
};

const data = rows();
const perEventUs: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, open] of Object.entries(VARIANTS)) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-store-'));
    const variant = open(path.join(dir, 'store.sqlite'));
    const started = performance.now();
    for (let g = 0; g < GROUPS; g += 1) await variant.write(data.slice(g * GROUP_SIZE, (g + 1) * GROUP_SIZE));
    (perEventUs[name] ??= []).push(((performance.now() - started) * 1000) / data.length);
    variant.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const best = (name: string): number => Math.min(...(perEventUs[name] ?? [Number.NaN]));
const baseline = best('baseline');
const lines = [
  `store write cost: ${GROUPS} groups of ${GROUP_SIZE} events (${data.length}), best of ${ROUNDS} rounds, ${(data.reduce((n, r) => n + r.eventJson.length, 0) / data.length).toFixed(0)} bytes of JSON per event`,
  '',
  '| variant | µs per event | × baseline |',
  '|---|---:|---:|',
  ...Object.keys(VARIANTS).map(
    (name) => `| ${name} | ${best(name).toFixed(1)} | ${(best(name) / baseline).toFixed(1)} |`,
  ),
  '',
];
process.stdout.write(lines.join('\n'));
