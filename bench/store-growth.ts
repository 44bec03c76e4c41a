/**
 * Whether the store's write cost grows with the queue (issue #7, memory: "ingestion keeps its speed"
 * with a million events queued), and whether more page cache or memory-mapped reads stop it. Each
 * variant fills a fresh on-disk database (WAL, synchronous=FULL, one fsync per group as `serve`
 * commits) with queued events — track and identify with analytics.js's context, random messageIds,
 * 500 users — in groups of 150, and reports the cost per event of every 100,050 events:
 *
 * - baseline: each event's JSON as one row of a bare table (rowid only, no index)
 * - store: `SqliteJobStore.enqueueRows` (dedupe receipt + job with its lane index), SQLite's default
 *   2 MB page cache, as `serve` runs it
 * - store, 64 MB cache: `PRAGMA cache_size` 32 times larger
 * - store, mmap: `PRAGMA mmap_size` 1 GB (pages read through a memory map instead of `pread`)
 *
 * WAL checkpoints run on a second connection every 20 groups (as `serve`'s checkpoint thread does
 * beside the writer), in the same thread, so their cost is in every variant's figure alike.
 * Run: `npx tsx bench/store-growth.ts [events per variant, default 600300]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { QueuedRow } from '../src/delivery/store/queued-row.js';
import { migrate } from '../src/delivery/store/sqlite/schema.js';
import { createSqliteJobStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import { queuedRows } from './queued-rows.js';

const GROUP_SIZE = 150;
const CHUNK = 100_050; // a whole number of groups
const TOTAL = Math.max(CHUNK, Math.round(Number(process.argv[2] ?? '600300') / CHUNK) * CHUNK);
const CHECKPOINT_EVERY_GROUPS = 20;

/** One group of new rows; users cycle through 500 lanes. */
const group = (start: number): QueuedRow[] =>
  queuedRows(start, GROUP_SIZE, {
    laneOf: (i) => `user-${(i * 37) % 500}`,
    receivedAt: () => '2024-05-01T12:00:01.000Z',
    replayed: false,
  });

function openWriter(file: string, pragmas: readonly string[]): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 0');
  for (const pragma of pragmas) db.pragma(pragma);
  return db;
}

type Writer = (rows: readonly QueuedRow[]) => unknown;

const VARIANTS: Record<string, (file: string) => { db: Database.Database; write: Writer }> = {
  baseline: (file) => {
    const db = openWriter(file, []);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO events (body) VALUES (?)');
    return {
      db,
      write: db.transaction((rows: readonly QueuedRow[]) => rows.forEach((r) => insert.run(r.eventJson))),
    };
  },
  store: (file) => storeVariant(file, []),
  'store, 64 MB cache': (file) => storeVariant(file, ['cache_size = -64000']),
  'store, mmap': (file) => storeVariant(file, ['mmap_size = 1073741824']),
};

function storeVariant(file: string, pragmas: readonly string[]): { db: Database.Database; write: Writer } {
  const db = openWriter(file, pragmas);
  migrate(db);
  const store = createSqliteJobStore(db);
  return { db, write: (rows) => store.enqueueRows(rows) };
}

/** µs per event of each chunk, wall clock and CPU of this process. */
const results: Record<string, { wall: number[]; cpu: number[] }> = {};
for (const [name, open] of Object.entries(VARIANTS)) {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-growth-'));
  const file = path.join(dir, 'store.sqlite');
  const { db, write } = open(file);
  const checkpointer = new Database(file);
  const wall: number[] = [];
  const cpu: number[] = [];
  let started = performance.now();
  let cpuStart = process.cpuUsage();
  for (let done = 0, groups = 0; done < TOTAL; groups += 1) {
    await write(group(done));
    done += GROUP_SIZE;
    if (groups % CHECKPOINT_EVERY_GROUPS === 0) checkpointer.pragma('wal_checkpoint(PASSIVE)');
    if (done % CHUNK === 0) {
      const used = process.cpuUsage(cpuStart);
      wall.push(((performance.now() - started) * 1000) / CHUNK);
      cpu.push((used.user + used.system) / CHUNK);
      started = performance.now();
      cpuStart = process.cpuUsage();
    }
  }
  results[name] = { wall, cpu };
  checkpointer.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`${name}: ${wall.map((us) => us.toFixed(0)).join(' → ')} µs per event\n`);
}

const baseline = results['baseline'];
const header = Array.from(
  { length: TOTAL / CHUNK },
  (_, i) => `to ${(((i + 1) * CHUNK) / 1000).toFixed(0)}k`,
);

/** A Markdown table of one figure per chunk for each named variant. */
function table(title: string, rows: readonly (readonly [string, readonly number[]])[]): string[] {
  return [
    title,
    '',
    `| variant | ${header.join(' | ')} |`,
    `|---|${header.map(() => '---:').join('|')}|`,
    ...rows.map(([name, values]) => `| ${name} | ${values.map((v) => v.toFixed(1)).join(' | ')} |`),
    '',
  ];
}

const variants = Object.entries(results);
const lines = [
  ...table(
    `store write cost as the queue grows: ${TOTAL.toLocaleString('en')} events per variant in groups of ${GROUP_SIZE}, µs per event (wall clock) of each ${CHUNK.toLocaleString('en')}:`,
    variants.map(([name, r]) => [name, r.wall]),
  ),
  ...table(
    'CPU µs per event (user + system of this process):',
    variants.map(([name, r]) => [name, r.cpu]),
  ),
  ...table(
    '× baseline (wall clock, same chunk):',
    variants
      .filter(([name]) => name !== 'baseline')
      .map(([name, r]) => [name, r.wall.map((us, i) => us / (baseline?.wall[i] ?? Number.NaN))]),
  ),
];
process.stdout.write(lines.join('\n'));
