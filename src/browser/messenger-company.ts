/**
 * Companies in the Messenger's shape (D-4, D-7): the same field rules as cloud mode (`mapCompany`),
 * but `created_at` instead of `remote_created_at` and custom attributes in-line, as the Messenger
 * reads them (intercom-api.md §5.2).
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../segment/json.js';
import { companyFromName, mapCompany } from '../mapping/company.js';
import type { MapCompanyOptions } from '../mapping/company.js';
import type { MessengerSettings } from './messenger-call.js';

/** A company from a Segment value: a name (hashed id, C-ID-9) or an object (C-ID-10); `undefined` when unusable. */
export function toMessengerCompany(
  value: JsonValue | undefined,
  field: string,
  companyId?: string,
): MessengerSettings | undefined {
  if (typeof value === 'string') {
    return value.trim() === '' ? undefined : fromCompanyFields(companyFromName(value));
  }
  if (!isJsonObject(value)) return undefined;
  const options: MapCompanyOptions = companyId === undefined ? { field } : { field, companyId };
  const mapped = mapCompany(value, options);
  // The Messenger cannot detach a company (C-ID-11 is cloud mode only): a removal sends nothing.
  return mapped.kind === 'skip' || mapped.remove ? undefined : fromCompanyFields(mapped.company);
}

/** REST company fields in the Messenger's shape: `created_at`, and custom attributes in-line under the standard ones. */
function fromCompanyFields(fields: ReturnType<typeof companyFromName>): MessengerSettings {
  const { custom_attributes: custom, remote_created_at: createdAt, ...standard } = fields;
  const company: Record<string, JsonValue> = { ...custom };
  for (const [key, field] of Object.entries(standard)) {
    if (field !== undefined) company[key] = field;
  }
  if (createdAt !== undefined) company['created_at'] = createdAt;
  return company;
}

/** D-4: `traits.companies` as a list of Messenger companies, leaving out unusable entries. */
export function toMessengerCompanies(value: JsonValue | undefined): JsonObject[] {
  if (!Array.isArray(value)) return [];
  const companies: JsonObject[] = [];
  (value as readonly JsonValue[]).forEach((entry, index) => {
    const company = isJsonObject(entry) ? toMessengerCompany(entry, `traits.companies[${index}]`) : undefined;
    if (company !== undefined) companies.push(company);
  });
  return companies;
}
