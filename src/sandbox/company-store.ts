import { type BodyObject, numberField, secondsField, stringField } from './body-fields.js';
import { getContact } from './contact-store.js';
import { checkCustomAttributes } from './data-attribute-store.js';
import { type Result, ok, fail, companyNotFound } from './api-result.js';
import { type SandboxCompany, type Store, nextId, nowSeconds } from './store.js';

/** Intercom stores `monthly_spend` as a 32-bit integer (intercom-api.md §3.7). */
const MAX_MONTHLY_SPEND = 2 ** 31 - 1;
/** Intercom allows at most 1000 companies per contact (§3.8). */
const MAX_COMPANIES_PER_CONTACT = 1000;

const OPTIONAL_STRINGS = ['name', 'plan', 'website', 'industry'] as const;

/** `POST /companies`: creates or updates by `company_id`; floats in `monthly_spend` are truncated like Intercom does. */
export function upsertCompany(store: Store, body: BodyObject): Result<SandboxCompany> {
  const companyId = stringField(body, 'company_id');
  if (companyId === undefined || companyId === '')
    return fail(400, 'parameter_invalid', 'company_id is required');
  const spend = numberField(body, 'monthly_spend');
  if (spend !== undefined && Math.abs(spend) > MAX_MONTHLY_SPEND) {
    return fail(400, 'parameter_invalid', `monthly_spend must be at most ${MAX_MONTHLY_SPEND}`);
  }
  const attributes = checkCustomAttributes(store, 'company', body['custom_attributes']);
  if (!attributes.ok) return attributes;
  const now = nowSeconds(store);
  const existing = findByCompanyId(store, companyId);
  const company: SandboxCompany = existing ?? {
    id: '',
    company_id: companyId,
    name: null,
    plan: null,
    size: null,
    website: null,
    industry: null,
    monthly_spend: 0,
    remote_created_at: null,
    custom_attributes: {},
    created_at: now,
    updated_at: now,
  };
  const next: SandboxCompany = {
    ...company,
    custom_attributes: { ...company.custom_attributes, ...attributes.value },
    updated_at: now,
  };
  for (const key of OPTIONAL_STRINGS) {
    const value = stringField(body, key);
    if (value !== undefined) next[key] = value;
  }
  if (spend !== undefined) next.monthly_spend = Math.trunc(spend);
  const size = numberField(body, 'size');
  if (size !== undefined) next.size = Math.trunc(size);
  const remote = secondsField(body, 'remote_created_at');
  if (remote !== undefined) next.remote_created_at = remote;
  if (existing === undefined) next.id = nextId(store, 'company');
  store.companies.set(next.id, next);
  return ok(structuredClone(next));
}

function findByCompanyId(store: Store, companyId: string): SandboxCompany | undefined {
  return [...store.companies.values()].find((c) => c.company_id === companyId);
}

/** `GET /companies?company_id=` (or `?name=`). */
export function findCompany(
  store: Store,
  query: { companyId?: string; name?: string },
): Result<SandboxCompany> {
  const company =
    query.companyId !== undefined
      ? findByCompanyId(store, query.companyId)
      : [...store.companies.values()].find((c) => c.name === query.name);
  return company === undefined ? companyNotFound() : ok(structuredClone(company));
}

/** `GET /companies/{id}` by Intercom id. */
export function getCompany(store: Store, id: string): Result<SandboxCompany> {
  const company = store.companies.get(id);
  return company === undefined ? companyNotFound() : ok(structuredClone(company));
}

/** How many contacts are attached to a company (`user_count`). */
export function userCount(store: Store, companyId: string): number {
  let count = 0;
  for (const ids of store.attachments.values()) if (ids.has(companyId)) count += 1;
  return count;
}

/** `POST /contacts/{id}/companies` with the company's Intercom id. */
export function attachCompany(
  store: Store,
  contactId: string,
  companyId: string | undefined,
): Result<SandboxCompany> {
  const contact = getContact(store, contactId);
  if (!contact.ok) return contact;
  if (companyId === undefined || companyId === '')
    return fail(400, 'parameter_not_found', 'company not specified');
  const company = getCompany(store, companyId);
  if (!company.ok) return company;
  const ids = store.attachments.get(contactId) ?? new Set<string>();
  if (!ids.has(companyId) && ids.size >= MAX_COMPANIES_PER_CONTACT) {
    return fail(
      400,
      'contact_company_limit_exceeded',
      'The contact has reached the maximum of 1000 company associations',
    );
  }
  ids.add(companyId);
  store.attachments.set(contactId, ids);
  return company;
}

/** `DELETE /contacts/{id}/companies/{company_id}`: detaching a company that is not attached answers 200 too. */
export function detachCompany(store: Store, contactId: string, companyId: string): Result<SandboxCompany> {
  const contact = getContact(store, contactId);
  if (!contact.ok) return contact;
  const company = getCompany(store, companyId);
  if (!company.ok) return company;
  store.attachments.get(contactId)?.delete(companyId);
  return company;
}

/** The companies a contact is attached to, in attach order. */
export function contactCompanies(store: Store, contactId: string): Result<SandboxCompany[]> {
  const contact = getContact(store, contactId);
  if (!contact.ok) return contact;
  const ids = [...(store.attachments.get(contactId) ?? [])];
  return ok(
    ids.flatMap((id) => {
      const company = store.companies.get(id);
      return company === undefined ? [] : [structuredClone(company)];
    }),
  );
}
