/**
 * Durable memory of Intercom ids (C-IDN-3: once resolved, the steady state is one API call per event).
 * Everything in it is a hint: the executor verifies by using it, and drops an entry Intercom answers 404 for.
 * Implementations: `createMemoryIdCache()` here (tests, one-off runs) and a SQLite/PostgreSQL one in delivery.
 */

/** How a plan names a contact: by `external_id` (Segment `userId`) or, without one, by email. */
export type ContactKeyKind = 'external_id' | 'email';

/** A contact's cache key within one destination (Intercom workspace). */
export interface ContactKey {
  readonly destinationId: string;
  readonly kind: ContactKeyKind;
  /** The external id as given, or the email lower-cased and trimmed (see `contactKey`). */
  readonly value: string;
}

/** A company's cache key: our `company_id` (Segment `groupId`) within one destination. */
export interface CompanyKey {
  readonly destinationId: string;
  readonly companyId: string;
}

/** A contact–company attachment, both by Intercom id. */
export interface AttachmentKey {
  readonly destinationId: string;
  readonly contactId: string;
  readonly intercomCompanyId: string;
}

/**
 * Where the executor keeps Intercom ids. All methods are async so a durable store fits; none may
 * throw for a missing entry (`get` resolves `undefined`, `delete` of a missing entry is a no-op).
 * The optional members are API-frugality memos: leave them out and the executor simply makes the call.
 */
export interface IdCache {
  /** The Intercom contact id remembered for this key. */
  getContactId(key: ContactKey): Promise<string | undefined>;
  /** Remembers (or replaces) the Intercom contact id for this key. */
  setContactId(key: ContactKey, contactId: string): Promise<void>;
  /** Forgets this key (after a 404 for the remembered id). */
  deleteContactId(key: ContactKey): Promise<void>;
  /** The Intercom company id remembered for our `company_id`. */
  getCompanyId(key: CompanyKey): Promise<string | undefined>;
  /** Remembers the Intercom company id for our `company_id`. */
  setCompanyId(key: CompanyKey, intercomCompanyId: string): Promise<void>;
  /** Forgets the company's id and its fields hash (after a 404 for the remembered id). */
  deleteCompanyId(key: CompanyKey): Promise<void>;
  /** Hash of the fields last upserted for this company, so an identical group call can skip `POST /companies`. */
  getCompanyFieldsHash?(key: CompanyKey): Promise<string | undefined>;
  /** Remembers the hash of the fields just upserted. */
  setCompanyFieldsHash?(key: CompanyKey, hash: string): Promise<void>;
  /** True when this attachment was made (so a repeated attach can be skipped). */
  hasAttachment?(key: AttachmentKey): Promise<boolean>;
  /** Records a successful attach. */
  setAttachment?(key: AttachmentKey): Promise<void>;
  /** Forgets an attachment (after a detach, or when Intercom says it is gone). */
  deleteAttachment?(key: AttachmentKey): Promise<void>;
}

/** Builds a contact key; emails are compared case-insensitively, as Intercom does. */
export function contactKey(destinationId: string, kind: ContactKeyKind, value: string): ContactKey {
  return { destinationId, kind, value: kind === 'email' ? value.trim().toLowerCase() : value };
}

/** One unambiguous string for a tuple of key parts (no separator can collide). */
function flat(parts: readonly string[]): string {
  return JSON.stringify(parts);
}

/** An in-process `IdCache` implementing every optional memo; contents are lost on exit. */
export function createMemoryIdCache(): IdCache {
  const contacts = new Map<string, string>();
  const companies = new Map<string, string>();
  const hashes = new Map<string, string>();
  const attachments = new Set<string>();
  const contactId = (k: ContactKey): string => flat([k.destinationId, k.kind, k.value]);
  const companyId = (k: CompanyKey): string => flat([k.destinationId, k.companyId]);
  const attachmentId = (k: AttachmentKey): string =>
    flat([k.destinationId, k.contactId, k.intercomCompanyId]);
  return {
    getContactId: (key) => Promise.resolve(contacts.get(contactId(key))),
    setContactId: (key, id) => {
      contacts.set(contactId(key), id);
      return Promise.resolve();
    },
    deleteContactId: (key) => {
      contacts.delete(contactId(key));
      return Promise.resolve();
    },
    getCompanyId: (key) => Promise.resolve(companies.get(companyId(key))),
    setCompanyId: (key, id) => {
      companies.set(companyId(key), id);
      return Promise.resolve();
    },
    deleteCompanyId: (key) => {
      companies.delete(companyId(key));
      hashes.delete(companyId(key));
      return Promise.resolve();
    },
    getCompanyFieldsHash: (key) => Promise.resolve(hashes.get(companyId(key))),
    setCompanyFieldsHash: (key, hash) => {
      hashes.set(companyId(key), hash);
      return Promise.resolve();
    },
    hasAttachment: (key) => Promise.resolve(attachments.has(attachmentId(key))),
    setAttachment: (key) => {
      attachments.add(attachmentId(key));
      return Promise.resolve();
    },
    deleteAttachment: (key) => {
      attachments.delete(attachmentId(key));
      return Promise.resolve();
    },
  };
}
