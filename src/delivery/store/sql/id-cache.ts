import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../intercom/id-cache.js';
import type { SqlDialect, SqlValues, Statement } from './dialect.js';
import type { SqlContext } from './sql-context.js';
import { rowsOf } from './sql-runner.js';

function idCacheStatements(d: SqlDialect) {
  const contact = (p: (name: string) => string): string =>
    `destination_id = ${p('destination')} AND kind = ${p('kind')} AND value = ${p('value')}`;
  const company = (p: (name: string) => string): string =>
    `destination_id = ${p('destination')} AND company_id = ${p('company')}`;
  const attachment = (p: (name: string) => string): string =>
    `destination_id = ${p('destination')} AND contact_id = ${p('contact')} AND intercom_company_id = ${p('intercom')}`;
  return {
    getContact: d.compile((p) => `SELECT contact_id FROM contact_ids WHERE ${contact(p)}`),
    setContact: d.compile(
      (p) => `INSERT INTO contact_ids (destination_id, kind, value, contact_id)
        VALUES (${p('destination')}, ${p('kind')}, ${p('value')}, ${p('id')})
        ON CONFLICT (destination_id, kind, value) DO UPDATE SET contact_id = excluded.contact_id`,
    ),
    deleteContact: d.compile((p) => `DELETE FROM contact_ids WHERE ${contact(p)}`),
    getCompany: d.compile(
      (p) => `SELECT intercom_company_id, fields_hash FROM company_ids WHERE ${company(p)}`,
    ),
    setCompanyId: d.compile(
      (p) => `INSERT INTO company_ids (destination_id, company_id, intercom_company_id)
        VALUES (${p('destination')}, ${p('company')}, ${p('id')})
        ON CONFLICT (destination_id, company_id) DO UPDATE SET intercom_company_id = excluded.intercom_company_id`,
    ),
    setCompanyHash: d.compile(
      (p) => `INSERT INTO company_ids (destination_id, company_id, fields_hash)
        VALUES (${p('destination')}, ${p('company')}, ${p('hash')})
        ON CONFLICT (destination_id, company_id) DO UPDATE SET fields_hash = excluded.fields_hash`,
    ),
    // Also forgets the fields hash: both live in the company's row.
    deleteCompany: d.compile((p) => `DELETE FROM company_ids WHERE ${company(p)}`),
    hasAttachment: d.compile((p) => `SELECT 1 AS found FROM company_attachments WHERE ${attachment(p)}`),
    setAttachment: d.compile(
      (p) => `INSERT INTO company_attachments (destination_id, contact_id, intercom_company_id)
        VALUES (${p('destination')}, ${p('contact')}, ${p('intercom')}) ON CONFLICT DO NOTHING`,
    ),
    deleteAttachment: d.compile((p) => `DELETE FROM company_attachments WHERE ${attachment(p)}`),
  };
}

const contactValues = (key: ContactKey): SqlValues => ({
  destination: key.destinationId,
  kind: key.kind,
  value: key.value,
});
const companyValues = (key: CompanyKey): SqlValues => ({
  destination: key.destinationId,
  company: key.companyId,
});
const attachmentValues = (key: AttachmentKey): SqlValues => ({
  destination: key.destinationId,
  contact: key.contactId,
  intercom: key.intercomCompanyId,
});

interface CompanyRow {
  readonly intercom_company_id: string | null;
  readonly fields_hash: string | null;
}

/**
 * The durable `IdCache` (C-IDN-3) in the queue's database, so a restart keeps the steady state of one
 * API call per event, and every process sharing a PostgreSQL queue shares it. Every write is one
 * statement on its own: entries are hints, a lost one only costs a lookup.
 */
export function createSqlIdCache({ runner, dialect }: SqlContext): Required<IdCache> {
  const s = idCacheStatements(dialect);
  const rows = async <R>(operation: string, statement: Statement, values: SqlValues): Promise<readonly R[]> =>
    rowsOf<R>(await runner.query(`id cache: ${operation}`, { statement, values }));
  const run = async (operation: string, statement: Statement, values: SqlValues): Promise<void> => {
    await runner.query(`id cache: ${operation}`, { statement, values });
  };
  const company = async (key: CompanyKey): Promise<CompanyRow | undefined> =>
    (await rows<CompanyRow>('read company', s.getCompany, companyValues(key)))[0];
  return {
    getContactId: async (key) =>
      (await rows<{ contact_id: string }>('read contact id', s.getContact, contactValues(key)))[0]
        ?.contact_id,
    setContactId: (key, id) => run('write contact id', s.setContact, { ...contactValues(key), id }),
    deleteContactId: (key) => run('delete contact id', s.deleteContact, contactValues(key)),
    getCompanyId: async (key) => (await company(key))?.intercom_company_id ?? undefined,
    setCompanyId: (key, id) => run('write company id', s.setCompanyId, { ...companyValues(key), id }),
    deleteCompanyId: (key) => run('delete company id', s.deleteCompany, companyValues(key)),
    getCompanyFieldsHash: async (key) => (await company(key))?.fields_hash ?? undefined,
    setCompanyFieldsHash: (key, hash) =>
      run('write company hash', s.setCompanyHash, { ...companyValues(key), hash }),
    hasAttachment: async (key) =>
      (await rows('read attachment', s.hasAttachment, attachmentValues(key))).length > 0,
    setAttachment: (key) => run('write attachment', s.setAttachment, attachmentValues(key)),
    deleteAttachment: (key) => run('delete attachment', s.deleteAttachment, attachmentValues(key)),
  };
}
