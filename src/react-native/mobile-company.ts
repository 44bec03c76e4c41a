/**
 * M-7: companies in the shape of Intercom's mobile SDK, built with cloud mode's field rules
 * (`mapCompany`: C-ID-9/10, C-GR-1). The SDK's company has only `id`, `name`, `plan`,
 * `monthlySpend`, `createdAt` and `customAttributes`, so `size` (or `employees`), `website` and
 * `industry` travel as custom attributes, as Segment's own native Intercom integrations sent them.
 *
 * | SDK field          | from                                                            |
 * |--------------------|-----------------------------------------------------------------|
 * | `id`               | groupId (group), else `id` ?? `company_id` ?? `companyId` ?? hash(`name`) |
 * | `name`, `plan`     | `name`, `plan`                                                  |
 * | `monthlySpend`     | `monthlySpend` ?? `monthly_spend`, an integer                    |
 * | `createdAt`        | `createdAt` ?? `created_at`, Unix seconds                        |
 * | `customAttributes` | `size`, `website`, `industry` and every other scalar key        |
 */
import { isJsonObject, type JsonValue } from '../segment/json.js';
import { companyFromName, mapCompany, type MapCompanyOptions } from '../mapping/company.js';
import { nonBlank } from '../mapping/identity.js';
import type { MobileAttributeValue, MobileCompany } from './sdk-call.js';

/** The REST company fields `mapCompany` gives. */
type CompanyFields = ReturnType<typeof companyFromName>;

/** Cloud mode's company fields in the SDK's shape. */
function fromCompanyFields(fields: CompanyFields): MobileCompany {
  const custom: Record<string, MobileAttributeValue> = { ...fields.custom_attributes };
  if (fields.size !== undefined) custom['size'] = fields.size;
  if (fields.website !== undefined) custom['website'] = fields.website;
  if (fields.industry !== undefined) custom['industry'] = fields.industry;
  const company: MobileCompany = { id: fields.company_id };
  if (fields.name !== undefined) company.name = fields.name;
  if (fields.plan !== undefined) company.plan = fields.plan;
  if (fields.monthly_spend !== undefined) company.monthlySpend = fields.monthly_spend;
  if (fields.remote_created_at !== undefined) company.createdAt = fields.remote_created_at;
  if (Object.keys(custom).length > 0) company.customAttributes = custom;
  return company;
}

/**
 * A company from a Segment value: a name (its id hashed, C-ID-9) or an object (C-ID-10, or a group's
 * traits with `companyId` ← groupId); `undefined` when it has no id or asks to be removed (the SDK
 * cannot detach a company).
 */
export function toMobileCompany(
  value: JsonValue | undefined,
  field: string,
  companyId?: string,
): MobileCompany | undefined {
  if (typeof value === 'string') {
    const name = nonBlank(value);
    return name === undefined ? undefined : fromCompanyFields(companyFromName(name));
  }
  if (!isJsonObject(value)) return undefined;
  const options: MapCompanyOptions = companyId === undefined ? { field } : { field, companyId };
  const mapped = mapCompany(value, options);
  return mapped.kind === 'skip' || mapped.remove ? undefined : fromCompanyFields(mapped.company);
}

/** M-4: `traits.company` then each object of `traits.companies`, leaving out unusable entries. */
export function toMobileCompanies(
  company: JsonValue | undefined,
  companies: JsonValue | undefined,
): MobileCompany[] {
  const list: MobileCompany[] = [];
  const single = toMobileCompany(company, 'traits.company');
  if (single !== undefined) list.push(single);
  if (Array.isArray(companies)) {
    (companies as readonly JsonValue[]).forEach((entry, index) => {
      const mapped = isJsonObject(entry) ? toMobileCompany(entry, `traits.companies[${index}]`) : undefined;
      if (mapped !== undefined) list.push(mapped);
    });
  }
  return list;
}
