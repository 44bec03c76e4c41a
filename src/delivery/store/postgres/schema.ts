import type pg from 'pg';
import { StoreSchemaError } from '../errors.js';

/**
 * The PostgreSQL store's schema, one entry per version (append, never edit a released entry). The same
 * tables and columns as the SQLite store (`sqlite/schema.ts`), with BIGSERIAL/BIGINT and a boolean head flag.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE receipts (
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    received_at_ms BIGINT NOT NULL,
    PRIMARY KEY (source_id, message_id, destination_id)
  );
  CREATE INDEX receipts_received_at ON receipts (received_at_ms);

  CREATE TABLE jobs (
    seq BIGSERIAL PRIMARY KEY,
    source_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    destination_id TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    event_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'parked')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at_ms BIGINT NOT NULL DEFAULT 0,
    locked_by TEXT,
    locked_until_ms BIGINT,
    first_attempt_at_ms BIGINT,
    last_error TEXT,
    history_json TEXT NOT NULL DEFAULT '[]',
    is_head BOOLEAN NOT NULL DEFAULT FALSE
  );
  CREATE INDEX jobs_lane ON jobs (destination_id, lane_key, status, seq);
  CREATE INDEX jobs_candidates ON jobs (seq) WHERE is_head OR status = 'parked';
  CREATE INDEX jobs_leased ON jobs (destination_id, lane_key) WHERE locked_until_ms IS NOT NULL;

  CREATE TABLE dead_letters (
    id BIGSERIAL PRIMARY KEY,
    seq BIGINT NOT NULL,
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
    died_at_ms BIGINT NOT NULL
  );
  CREATE INDEX dead_letters_destination ON dead_letters (destination_id, id);

  CREATE TABLE destination_pauses (
    destination_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    until_ms BIGINT,
    since_ms BIGINT NOT NULL
  );

  CREATE TABLE delivery_counts (
    destination_id TEXT NOT NULL,
    result TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (destination_id, result)
  );
  `,
  `
  CREATE TABLE contact_ids (
    destination_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('external_id', 'email')),
    value TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    PRIMARY KEY (destination_id, kind, value)
  );

  CREATE TABLE company_ids (
    destination_id TEXT NOT NULL,
    company_id TEXT NOT NULL,
    intercom_company_id TEXT,
    fields_hash TEXT,
    PRIMARY KEY (destination_id, company_id)
  );

  CREATE TABLE company_attachments (
    destination_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    intercom_company_id TEXT NOT NULL,
    PRIMARY KEY (destination_id, contact_id, intercom_company_id)
  );
  `,
  `
  -- C-TR-6: event names delivered per workspace (Intercom keeps at most 120 active ones).
  CREATE TABLE event_names (
    destination_id TEXT NOT NULL,
    name TEXT NOT NULL,
    first_seen_ms BIGINT NOT NULL,
    PRIMARY KEY (destination_id, name)
  );
  `,
  `
  -- #17, L-4 and L-5: as SQLite's fourth version (see sqlite/schema.ts).
  ALTER TABLE jobs ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'event';
  DROP INDEX jobs_candidates;
  CREATE INDEX jobs_candidates ON jobs (replayed, seq) WHERE is_head OR status = 'parked';

  CREATE TABLE contact_updates (
    destination_id TEXT NOT NULL,
    lane_key TEXT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    PRIMARY KEY (destination_id, lane_key)
  );

  CREATE TABLE erasures (
    deletion_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    destination_id TEXT NOT NULL,
    key_kind TEXT NOT NULL,
    key_salt TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_at_ms BIGINT NOT NULL,
    finished_at_ms BIGINT,
    purged_jobs INTEGER NOT NULL DEFAULT 0,
    purged_dead_letters INTEGER NOT NULL DEFAULT 0,
    contacts_deleted INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    PRIMARY KEY (deletion_id, position)
  );
  `,
  `
  -- L-2: the last failed attempt of each destination (its L-1 class, Intercom's status and code), for
  -- /health and /metrics; written in the transaction that records the attempt, so every process
  -- sharing the queue reports the same one.
  CREATE TABLE destination_failures (
    destination_id TEXT PRIMARY KEY,
    failure_class TEXT NOT NULL,
    status INTEGER,
    code TEXT,
    at_ms BIGINT NOT NULL
  );
  `,
  `
  -- The console's history and sealed OAuth tokens: as SQLite's sixth version (see sqlite/schema.ts).
  CREATE TABLE flow_minutes (
    destination_id TEXT NOT NULL,
    minute_ms BIGINT NOT NULL,
    series TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (destination_id, minute_ms, series)
  );
  CREATE INDEX flow_minutes_minute ON flow_minutes (minute_ms);

  CREATE TABLE intercom_tokens (
    destination_id TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    app_id TEXT,
    connected_at_ms BIGINT NOT NULL
  );
  `,
];

/** Any constant shared by every process migrating the same database. */
const MIGRATION_LOCK = 7_301_117;

/** Brings a database up to the latest schema; processes starting together take turns. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const result = await client.query<{ version: number | null }>(
      'SELECT MAX(version) AS version FROM schema_version',
    );
    const current = result.rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) throw new StoreSchemaError(current, POSTGRES_MIGRATIONS.length);
    for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
      const version = index + 1;
      if (version <= current) continue;
      await client.query('BEGIN');
      await client.query(sql);
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
      await client.query('COMMIT');
    }
  } catch (error: unknown) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
