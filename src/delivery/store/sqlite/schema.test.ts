import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreSchemaError } from '../errors.js';
import { SQLITE_MIGRATIONS, migrate } from './schema.js';

function versions(db: Database.Database): number[] {
  return db
    .prepare<[], { version: number }>('SELECT version FROM schema_version ORDER BY version')
    .all()
    .map((r) => r.version);
}

describe('SQLite schema migrations', () => {
  it('creates every version once and is idempotent', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(versions(db)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
    db.close();
  });

  it('upgrades a database written by an older version, keeping its jobs', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    db.exec(SQLITE_MIGRATIONS[0]!);
    db.exec('INSERT INTO schema_version (version) VALUES (1)');
    db.prepare(
      `INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at) VALUES ('s', 'm', 'd', 'u:x', '{}', 'now')`,
    ).run();
    migrate(db);
    expect(versions(db)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
    expect(db.prepare('SELECT COUNT(*) AS n FROM jobs').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a database from a newer version of the program', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
    db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SQLITE_MIGRATIONS.length + 1);
    expect(() => migrate(db)).toThrow(StoreSchemaError);
    db.close();
  });
});
