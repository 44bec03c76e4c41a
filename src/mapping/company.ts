/**
 * Company field rules shared by identify companies (C-ID-9/10/11), group (C-GR-1) and the browser
 * plugin (D-4, D-7). Pure and DOM/Node-free.
 *
 * | Intercom field      | from                                                                  |
 * |---------------------|-----------------------------------------------------------------------|
 * | `company_id`        | given id (group: `groupId`) ?? `id` ?? `company_id` ?? `companyId` ?? hash(`name`) |
 * | `name`              | `name`                                                                |
 * | `plan`              | `plan`                                                                |
 * | `monthly_spend`     | `monthlySpend` ?? `monthly_spend`, truncated to an integer            |
 * | `size`              | `size` ?? `employees`, truncated to an integer                        |
 * | custom `employees`  | `employees` when `size` is given too (C-GR-1, C-ID-10: size wins)     |
 * | `website`           | `website`                                                             |
 * | `industry`          | `industry`                                                            |
 * | `remote_created_at` | `createdAt` ?? `created_at` (C-ID-3 rules → Unix seconds)             |
 * | `custom_attributes` | every other scalar key (C-ID-4 rules)                                 |
 * | (detach)            | `remove: true` (C-ID-11)                                              |
 */
import type { JsonObject, JsonValue } from '../segment/json.js';
import type { AttributeTypes, CompanyFields, MappingWarning } from '../intercom/operations.js';
import { toUnixSeconds } from './dates.js';
import { companyIdFromName } from './company-id-from-name.js';
import { mapCustomAttributes } from './attributes.js';
import { WARNING_DETAILS } from './warning-details.js';

/** Keys with a meaning of their own; never copied to the company's custom attributes. */
export const COMPANY_STANDARD_KEYS: ReadonlySet<string> = new Set([
  'id',
  'company_id',
  'companyId',
  'name',
  'plan',
  'monthlySpend',
  'monthly_spend',
  'size',
  'employees',
  'website',
  'industry',
  'createdAt',
  'created_at',
  'remove',
]);

/** Intercom stores `monthly_spend` and `size` as 32-bit signed integers (intercom-api.md §3.7). */
const MAX_INT32 = 2 ** 31 - 1;

/** A company object mapped to an upsert (or a detach when `remove` is true), or skipped. */
export type CompanyMapping =
  | {
      readonly kind: 'company';
      readonly company: CompanyFields;
      readonly attributeTypes: AttributeTypes;
      /** C-ID-11: detach the contact instead of upserting. */
      readonly remove: boolean;
      readonly warnings: readonly MappingWarning[];
    }
  | { readonly kind: 'skip'; readonly warning: MappingWarning };

/** Options for {@link mapCompany}. */
export interface MapCompanyOptions {
  /** An id that wins over the object's own (group: `groupId`). */
  readonly companyId?: string;
  /** Where the object came from, for warnings (`traits.company`, `traits.companies[2]`, `traits`). */
  readonly field: string;
}

/** A non-blank string, or a finite number written as a string; `undefined` otherwise. */
export function toText(value: JsonValue | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number or numeric string truncated to an integer Intercom accepts (C-GR-1: Intercom truncates). */
export function toIntercomInteger(value: JsonValue | undefined): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+(?:\.\d+)?\s*$/.test(value)) n = Number(value);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const truncated = Math.trunc(n) + 0;
  return Math.abs(truncated) <= MAX_INT32 ? truncated : undefined;
}

/** The company id of a company object: `id` ?? `company_id` ?? `companyId` ?? hash(`name`) (C-ID-10). */
export function companyIdOf(obj: JsonObject): string | undefined {
  const explicit = toText(obj['id']) ?? toText(obj['company_id']) ?? toText(obj['companyId']);
  if (explicit !== undefined) return explicit;
  const name = toText(obj['name']);
  return name === undefined ? undefined : companyIdFromName(name);
}

/** C-ID-9: a company given only by its name. */
export function companyFromName(name: string): CompanyFields {
  return { company_id: companyIdFromName(name), name };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Copies one integer field, warning when a value was given but cannot be sent. */
function integerField(
  obj: JsonObject,
  keys: readonly string[],
  field: string,
  warnings: MappingWarning[],
): number | undefined {
  for (const key of keys) {
    const raw = obj[key];
    if (raw === undefined || raw === null) continue;
    const n = toIntercomInteger(raw);
    if (n === undefined) {
      warnings.push({
        code: 'dropped_invalid_value',
        field: `${field}.${key}`,
        detail: WARNING_DETAILS.notInt32,
      });
    }
    return n;
  }
  return undefined;
}

/** C-ID-10 / C-GR-1: maps a company object to the `POST /companies` body, or skips it with a warning. */
export function mapCompany(obj: JsonObject, options: MapCompanyOptions): CompanyMapping {
  const companyId = options.companyId ?? companyIdOf(obj);
  if (companyId === undefined) {
    return {
      kind: 'skip',
      warning: {
        code: 'skipped_company',
        field: options.field,
        detail: WARNING_DETAILS.companyWithoutId,
      },
    };
  }
  const warnings: MappingWarning[] = [];
  const company: Mutable<CompanyFields> = { company_id: companyId };
  const name = toText(obj['name']);
  if (name !== undefined) company.name = name;
  const plan = toText(obj['plan']);
  if (plan !== undefined) company.plan = plan;
  const spend = integerField(obj, ['monthlySpend', 'monthly_spend'], options.field, warnings);
  if (spend !== undefined) company.monthly_spend = spend;
  const size = integerField(obj, ['size', 'employees'], options.field, warnings);
  if (size !== undefined) company.size = size;
  const website = toText(obj['website']);
  if (website !== undefined) company.website = website;
  const industry = toText(obj['industry']);
  if (industry !== undefined) company.industry = industry;
  const createdKey = obj['createdAt'] !== undefined ? 'createdAt' : 'created_at';
  const createdRaw = obj[createdKey];
  if (createdRaw !== undefined && createdRaw !== null) {
    const seconds = toUnixSeconds(createdRaw);
    if (seconds === undefined) {
      warnings.push({
        code: 'invalid_date',
        field: `${options.field}.${createdKey}`,
        detail: WARNING_DETAILS.invalidDate,
      });
    } else {
      company.remote_created_at = seconds;
    }
  }
  // C-GR-1, C-ID-10: a given size wins, so employees (when given too) stays a custom attribute.
  const custom = mapCustomAttributes(
    obj,
    COMPANY_STANDARD_KEYS,
    options.field,
    obj['size'] != null && 'employees',
  );
  if (custom.count > 0) company.custom_attributes = custom.attributes;
  warnings.push(...custom.warnings);
  return { kind: 'company', company, attributeTypes: custom.types, remove: obj['remove'] === true, warnings };
}
