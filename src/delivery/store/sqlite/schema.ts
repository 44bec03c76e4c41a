import type Database from 'better-sqlite3';
import { StoreSchemaError } from '../errors.js';

/**
 * The store's schema, one entry per version; never edit a released entry, append a new one.
 * Times are Unix milliseconds in INTEGER columns; events, plans and attempt histories are JSON text.
 * PostgreSQL has the same tables and columns (`postgres/schema.ts`), so the statements of `sql/`
 * run on both.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  -- I-5 dedupe: one receipt per (source, messageId, destination), kept after the job is done so
  -- that a client retrying a whole batch later still gets each event stored once.
  CREATE TABLE receipts (
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (source_id, message_id, destination_id)
  ) WITHOUT ROWID;
  CREATE INDEX receipts_received_at ON receipts (received_at_ms);

  -- Unfinished jobs only: a delivered job is deleted, a dead one moves to dead_letters.
  CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    event_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'parked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at_ms INTEGER NOT NULL DEFAULT 0,
    locked_by TEXT,
    locked_until_ms INTEGER,
    first_attempt_at_ms INTEGER,
    last_error TEXT,
    history_json TEXT NOT NULL DEFAULT '[]',
    -- 1 on the lowest-seq pending job of its lane, kept up to date in every writing transaction, so a
    -- claim reads only lane heads and parked jobs instead of every queued row (backfills of one user).
    is_head INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX jobs_lane ON jobs (destination_id, lane_key, status, seq);
  CREATE INDEX jobs_candidates ON jobs (seq) WHERE is_head = 1 OR status = 'parked';
  CREATE INDEX jobs_leased ON jobs (destination_id, lane_key) WHERE locked_until_ms IS NOT NULL;

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seq INTEGER NOT NULL,
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    event_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    status INTEGER,
    code TEXT,
    message TEXT,
    plan_json TEXT,
    history_json TEXT NOT NULL,
    died_at_ms INTEGER NOT NULL
  );
  CREATE INDEX dead_letters_destination ON dead_letters (destination_id, id);

  -- A row with until_ms NULL is open-ended (rejected token) until resumed; timed rows (429) expire.
  CREATE TABLE destination_pauses (
    destination_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    until_ms INTEGER,
    since_ms INTEGER NOT NULL
  );

  CREATE TABLE delivery_counts (
    destination_id TEXT NOT NULL,
    result TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (destination_id, result)
  ) WITHOUT ROWID;
  `,
  `
  -- C-IDN-3 durable Intercom id cache (hints only: the executor drops an entry Intercom answers 404 for).
  CREATE TABLE contact_ids (
    destination_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('external_id', 'email')),
    value TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (destination_id, kind, value)
  ) WITHOUT ROWID;

  CREATE TABLE company_ids (
    destination_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    intercom_company_id TEXT,
    fields_hash TEXT,
    PRIMARY KEY (destination_id, company_id)
  ) WITHOUT ROWID;

  CREATE TABLE company_attachments (
    destination_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    intercom_company_id TEXT NOT NULL,
    PRIMARY KEY (destination_id, contact_id, intercom_company_id)
  ) WITHOUT ROWID;
  `,
  `
  -- C-TR-6: event names delivered per workspace (Intercom keeps at most 120 active ones).
  CREATE TABLE event_names (
    destination_id TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    PRIMARY KEY (destination_id, name)
  ) WITHOUT ROWID;
  `,
  `
  -- #17, L-4 and L-5. Replayed jobs (a backfill) yield to live ones: claims read lane heads live first,
  -- so the candidate index leads with the flag. A deletion job shares its user's lane (kind).
  ALTER TABLE jobs ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'event';
  DROP INDEX jobs_candidates;
  CREATE INDEX jobs_candidates ON jobs (replayed, seq) WHERE is_head = 1 OR status = 'parked';

  -- L-5: the event time of the newest identify delivered per lane; an older replayed one is skipped.
  CREATE TABLE contact_updates (
    destination_id TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    PRIMARY KEY (destination_id, lane_key)
  ) WITHOUT ROWID;

  -- L-4: one row per key of a deletion request, its status and its audit: a salted hash, never the key.
  CREATE TABLE erasures (
    deletion_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    destination_id TEXT NOT NULL,
    key_kind TEXT NOT NULL,
    key_salt TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at_ms INTEGER NOT NULL,
    finished_at_ms INTEGER,
    purged_jobs INTEGER NOT NULL DEFAULT 0,
    purged_dead_letters INTEGER NOT NULL DEFAULT 0,
    contacts_deleted INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    PRIMARY KEY (deletion_id, position)
  );
  `,
  `
  -- L-2: the last failed attempt of each destination (its L-1 class, Intercom's status and code), for
  -- /health and /metrics; written in the transaction that records the attempt.
  CREATE TABLE destination_failures (
    destination_id TEXT PRIMARY KEY,
    failure_class TEXT NOT NULL,
    status INTEGER,
    code TEXT,
    at_ms INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- The console's history: counts per destination, minute and series (received, delivered, …), added
  -- to by every flush, pruned after a week.
  CREATE TABLE flow_minutes (
    destination_id TEXT NOT NULL,
    minute_ms INTEGER NOT NULL,
    series TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (destination_id, minute_ms, series)
  ) WITHOUT ROWID;
  CREATE INDEX flow_minutes_minute ON flow_minutes (minute_ms);

  -- OAuth tokens connected from the console, sealed with AES-256-GCM (SECRET_KEY): never in clear.
  CREATE TABLE intercom_tokens (
    destination_id TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    app_id TEXT,
    connected_at_ms INTEGER NOT NULL
  );
  `,
];

/** Brings a database up to the latest schema, one transaction per version. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as
    { version: number | null } | undefined;
  const current = row?.version ?? 0;
  if (current > SQLITE_MIGRATIONS.length) throw new StoreSchemaError(current, SQLITE_MIGRATIONS.length);
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(version);
    }).immediate();
  });
}
