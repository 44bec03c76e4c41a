import type Database from 'better-sqlite3';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../intercom/id-cache.js';
import { StoreWriteError } from '../errors.js';

interface CompanyRow {
  readonly intercom_company_id: string | null;
  readonly fields_hash: string | null;
}

/**
 * The durable `IdCache` (C-IDN-3) in the job store's SQLite file, so a restart keeps the steady state
 * of one API call per event. Every write is one autocommitted statement: entries are hints, a lost
 * one only costs a lookup.
 */
export class SqliteIdCache implements IdCache {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  getContactId(key: ContactKey): Promise<string | undefined> {
    return this.#run('read contact id', () => {
      const row = this.#db
        .prepare<[string, string, string], { contact_id: string }>(
          'SELECT contact_id FROM contact_ids WHERE destination_id = ? AND kind = ? AND value = ?',
        )
        .get(key.destinationId, key.kind, key.value);
      return row?.contact_id;
    });
  }

  setContactId(key: ContactKey, contactId: string): Promise<void> {
    return this.#run('write contact id', () => {
      this.#db
        .prepare(
          `INSERT INTO contact_ids (destination_id, kind, value, contact_id) VALUES (?, ?, ?, ?)
           ON CONFLICT (destination_id, kind, value) DO UPDATE SET contact_id = excluded.contact_id`,
        )
        .run(key.destinationId, key.kind, key.value, contactId);
    });
  }

  deleteContactId(key: ContactKey): Promise<void> {
    return this.#run('delete contact id', () => {
      this.#db
        .prepare('DELETE FROM contact_ids WHERE destination_id = ? AND kind = ? AND value = ?')
        .run(key.destinationId, key.kind, key.value);
    });
  }

  getCompanyId(key: CompanyKey): Promise<string | undefined> {
    return this.#run('read company id', () => this.#company(key)?.intercom_company_id ?? undefined);
  }

  setCompanyId(key: CompanyKey, intercomCompanyId: string): Promise<void> {
    return this.#run('write company id', () => {
      this.#db
        .prepare(
          `INSERT INTO company_ids (destination_id, company_id, intercom_company_id) VALUES (?, ?, ?)
           ON CONFLICT (destination_id, company_id) DO UPDATE SET intercom_company_id = excluded.intercom_company_id`,
        )
        .run(key.destinationId, key.companyId, intercomCompanyId);
    });
  }

  /** Also forgets the fields hash: both live in the company's row. */
  deleteCompanyId(key: CompanyKey): Promise<void> {
    return this.#run('delete company id', () => {
      this.#db
        .prepare('DELETE FROM company_ids WHERE destination_id = ? AND company_id = ?')
        .run(key.destinationId, key.companyId);
    });
  }

  getCompanyFieldsHash(key: CompanyKey): Promise<string | undefined> {
    return this.#run('read company hash', () => this.#company(key)?.fields_hash ?? undefined);
  }

  setCompanyFieldsHash(key: CompanyKey, hash: string): Promise<void> {
    return this.#run('write company hash', () => {
      this.#db
        .prepare(
          `INSERT INTO company_ids (destination_id, company_id, fields_hash) VALUES (?, ?, ?)
           ON CONFLICT (destination_id, company_id) DO UPDATE SET fields_hash = excluded.fields_hash`,
        )
        .run(key.destinationId, key.companyId, hash);
    });
  }

  hasAttachment(key: AttachmentKey): Promise<boolean> {
    return this.#run('read attachment', () => {
      const row = this.#db
        .prepare<[string, string, string], { found: number }>(
          `SELECT 1 AS found FROM company_attachments
           WHERE destination_id = ? AND contact_id = ? AND intercom_company_id = ?`,
        )
        .get(key.destinationId, key.contactId, key.intercomCompanyId);
      return row !== undefined;
    });
  }

  setAttachment(key: AttachmentKey): Promise<void> {
    return this.#run('write attachment', () => {
      this.#db
        .prepare(
          `INSERT INTO company_attachments (destination_id, contact_id, intercom_company_id) VALUES (?, ?, ?)
           ON CONFLICT DO NOTHING`,
        )
        .run(key.destinationId, key.contactId, key.intercomCompanyId);
    });
  }

  deleteAttachment(key: AttachmentKey): Promise<void> {
    return this.#run('delete attachment', () => {
      this.#db
        .prepare(
          'DELETE FROM company_attachments WHERE destination_id = ? AND contact_id = ? AND intercom_company_id = ?',
        )
        .run(key.destinationId, key.contactId, key.intercomCompanyId);
    });
  }

  #company(key: CompanyKey): CompanyRow | undefined {
    return this.#db
      .prepare<[string, string], CompanyRow>(
        'SELECT intercom_company_id, fields_hash FROM company_ids WHERE destination_id = ? AND company_id = ?',
      )
      .get(key.destinationId, key.companyId);
  }

  /** better-sqlite3 is synchronous: turn its throws into rejected promises with a typed error. */
  #run<T>(operation: string, work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error: unknown) {
      return Promise.reject(new StoreWriteError(`id cache: ${operation}`, { cause: error }));
    }
  }
}
