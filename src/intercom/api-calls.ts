import type {
  AttributeModel,
  CompanyFields,
  ContactFields,
  DataAttributeType,
  EventFields,
} from './operations.js';
import type { RateLimitInfo } from './outcome.js';
import type { Company, Contact, DataAttribute, Me } from './responses.js';

/** A successful answer: the parsed value plus what the response said about the rate limit. */
export interface IntercomResponse<T> {
  readonly value: T;
  readonly status: number;
  /** From `X-RateLimit-*`; absent when Intercom (or the proxy) did not send all three headers. */
  readonly rateLimit?: RateLimitInfo;
}

/** Body of `POST /data_attributes` (the fields we send). */
export interface CreateDataAttributeFields {
  readonly name: string;
  readonly model: AttributeModel;
  readonly data_type: DataAttributeType;
}

/**
 * The Intercom operations the destination uses. Every method makes exactly one HTTP call, never
 * retries, and throws an `IntercomError` subclass on failure; "not found" lookups resolve to
 * `value: undefined` instead so callers can tell absence from failure.
 */
export interface IntercomApi {
  /** `GET /me`: the token's admin and workspace. */
  getMe(): Promise<IntercomResponse<Me>>;
  /** `GET /contacts/find_by_external_id/{id}`; `undefined` on 404 (410 `contact_merged` throws with `link`). */
  findContactByExternalId(externalId: string): Promise<IntercomResponse<Contact | undefined>>;
  /** `POST /contacts/search` on `email =` (first page; search lags creation by minutes). */
  searchContactsByEmail(email: string): Promise<IntercomResponse<readonly Contact[]>>;
  /** `POST /contacts`; a duplicate throws a 409 whose `existingContactId` is set. */
  createContact(fields: ContactFields): Promise<IntercomResponse<Contact>>;
  /** `PUT /contacts/{id}`. */
  updateContact(contactId: string, fields: ContactFields): Promise<IntercomResponse<Contact>>;
  /** `GET /contacts/{id}` (404 and 410 throw). */
  getContact(contactId: string): Promise<IntercomResponse<Contact>>;
  /** `DELETE /contacts/{id}` (L-4): `true` when deleted, `false` on 404 (already gone); 410 throws with `link`. */
  deleteContact(contactId: string): Promise<IntercomResponse<boolean>>;
  /** `POST /contacts/merge`: the lead `fromLeadId` into the user `intoUserId` (C-IDN-5); answers the user. */
  mergeContacts(fromLeadId: string, intoUserId: string): Promise<IntercomResponse<Contact>>;
  /** `POST /contacts/{id}/unarchive` (C-IDN-4): the contact comes back; answers its id and external_id. */
  unarchiveContact(contactId: string): Promise<IntercomResponse<Contact>>;
  /** `POST /companies`: create or update by `company_id`. */
  upsertCompany(fields: CompanyFields): Promise<IntercomResponse<Company>>;
  /** `GET /companies?company_id=`; `undefined` on 404. */
  findCompanyByCompanyId(companyId: string): Promise<IntercomResponse<Company | undefined>>;
  /** `POST /contacts/{id}/companies` with the company's Intercom id. */
  attachContactToCompany(contactId: string, intercomCompanyId: string): Promise<IntercomResponse<undefined>>;
  /** `DELETE /contacts/{id}/companies/{company_id}` with Intercom ids (404 throws; C-ID-11 is the executor's call). */
  detachContactFromCompany(
    contactId: string,
    intercomCompanyId: string,
  ): Promise<IntercomResponse<undefined>>;
  /** `POST /events` (Intercom answers 202 with no body). */
  submitEvent(fields: EventFields): Promise<IntercomResponse<undefined>>;
  /** `GET /data_attributes?model=`. */
  listDataAttributes(model: AttributeModel): Promise<IntercomResponse<readonly DataAttribute[]>>;
  /** `POST /data_attributes`. */
  createDataAttribute(fields: CreateDataAttributeFields): Promise<IntercomResponse<DataAttribute>>;
}
