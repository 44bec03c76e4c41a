import type pg from 'pg';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../intercom/id-cache.js';
import { StoreWriteError } from '../errors.js';

/** The durable `IdCache` (C-IDN-3) in the PostgreSQL store's database, shared by every worker process. */
export class PostgresIdCache implements IdCache {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async getContactId(key: ContactKey): Promise<string | undefined> {
    const rows = await this.#query<{ contact_id: string }>(
      'read contact id',
      'SELECT contact_id FROM contact_ids WHERE destination_id = $1 AND kind = $2 AND value = $3',
      [key.destinationId, key.kind, key.value],
    );
    return rows[0]?.contact_id;
  }

  async setContactId(key: ContactKey, contactId: string): Promise<void> {
    await this.#query(
      'write contact id',
      `INSERT INTO contact_ids (destination_id, kind, value, contact_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (destination_id, kind, value) DO UPDATE SET contact_id = excluded.contact_id`,
      [key.destinationId, key.kind, key.value, contactId],
    );
  }

  async deleteContactId(key: ContactKey): Promise<void> {
    await this.#query(
      'delete contact id',
      'DELETE FROM contact_ids WHERE destination_id = $1 AND kind = $2 AND value = $3',
      [key.destinationId, key.kind, key.value],
    );
  }

  async getCompanyId(key: CompanyKey): Promise<string | undefined> {
    return (await this.#company(key))?.intercom_company_id ?? undefined;
  }

  async setCompanyId(key: CompanyKey, intercomCompanyId: string): Promise<void> {
    await this.#query(
      'write company id',
      `INSERT INTO company_ids (destination_id, company_id, intercom_company_id) VALUES ($1, $2, $3)
       ON CONFLICT (destination_id, company_id) DO UPDATE SET intercom_company_id = excluded.intercom_company_id`,
      [key.destinationId, key.companyId, intercomCompanyId],
    );
  }

  /** Also forgets the fields hash: both live in the company's row. */
  async deleteCompanyId(key: CompanyKey): Promise<void> {
    await this.#query(
      'delete company id',
      'DELETE FROM company_ids WHERE destination_id = $1 AND company_id = $2',
      [key.destinationId, key.companyId],
    );
  }

  async getCompanyFieldsHash(key: CompanyKey): Promise<string | undefined> {
    return (await this.#company(key))?.fields_hash ?? undefined;
  }

  async setCompanyFieldsHash(key: CompanyKey, hash: string): Promise<void> {
    await this.#query(
      'write company hash',
      `INSERT INTO company_ids (destination_id, company_id, fields_hash) VALUES ($1, $2, $3)
       ON CONFLICT (destination_id, company_id) DO UPDATE SET fields_hash = excluded.fields_hash`,
      [key.destinationId, key.companyId, hash],
    );
  }

  async hasAttachment(key: AttachmentKey): Promise<boolean> {
    const rows = await this.#query(
      'read attachment',
      `SELECT 1 FROM company_attachments WHERE destination_id = $1 AND contact_id = $2 AND intercom_company_id = $3`,
      [key.destinationId, key.contactId, key.intercomCompanyId],
    );
    return rows.length > 0;
  }

  async setAttachment(key: AttachmentKey): Promise<void> {
    await this.#query(
      'write attachment',
      `INSERT INTO company_attachments (destination_id, contact_id, intercom_company_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [key.destinationId, key.contactId, key.intercomCompanyId],
    );
  }

  async deleteAttachment(key: AttachmentKey): Promise<void> {
    await this.#query(
      'delete attachment',
      'DELETE FROM company_attachments WHERE destination_id = $1 AND contact_id = $2 AND intercom_company_id = $3',
      [key.destinationId, key.contactId, key.intercomCompanyId],
    );
  }

  async #company(
    key: CompanyKey,
  ): Promise<{ intercom_company_id: string | null; fields_hash: string | null } | undefined> {
    const rows = await this.#query<{ intercom_company_id: string | null; fields_hash: string | null }>(
      'read company',
      'SELECT intercom_company_id, fields_hash FROM company_ids WHERE destination_id = $1 AND company_id = $2',
      [key.destinationId, key.companyId],
    );
    return rows[0];
  }

  async #query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    operation: string,
    sql: string,
    values: readonly unknown[],
  ): Promise<R[]> {
    try {
      return (await this.#pool.query<R>(sql, [...values])).rows;
    } catch (error: unknown) {
      throw new StoreWriteError(`id cache: ${operation}`, { cause: error });
    }
  }
}
