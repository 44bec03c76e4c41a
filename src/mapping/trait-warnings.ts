/**
 * Warnings for the traits a plan leaves out although they were given (not `null`), so that no trait
 * disappears without a warning in `translate` and in the delivery's record. Cloud mode only: the
 * device-mode bundles share the field rules (`company.ts`, `name.ts`) but discard warnings, so these
 * checks live apart from them.
 *
 * | left out                                  | why                                                   | rule     |
 * |-------------------------------------------|-------------------------------------------------------|----------|
 * | `email`, `phone`, `name`, name parts that are not usable text | the field needs text               | C-ID-1/2 |
 * | `firstName`, `lastName` other than `name` | `name` wins                                           | C-ID-2   |
 * | `created_at` other than `createdAt`       | `createdAt` wins                                      | C-ID-3   |
 * | `lastRequestAt` with `context.active` false | no `last_seen_at` is sent                           | C-ID-6   |
 * | `avatar`                                  | never sent; Intercom derives it from the email        | C-ID-5   |
 * | `id` other than `userId`                  | the contact is named by `userId`                      | C-IDN-1  |
 * | company `name`, `plan`, `website`, `industry` that are not text | the field needs text         | C-ID-10  |
 * | company ids other than the one used       | one `company_id` names the company                    | C-ID-10  |
 * | the second spelling of `monthlySpend`, `createdAt` | the first one given wins                     | C-ID-10  |
 * | company `remove` that is not a boolean    | only `true` detaches                                  | C-ID-11  |
 */
import type { JsonObject, JsonValue } from '../segment/json.js';
import type { CompanyFields, ContactFields, MappingWarning } from '../intercom/operations.js';
import { toIntercomInteger, toText } from './company.js';
import { toUnixSeconds } from './dates.js';
import { nonBlank } from './identity.js';

/** A value was given: present and not `null` (a `null` standard trait carries nothing to lose). */
function given(value: JsonValue | undefined): value is Exclude<JsonValue, null> {
  return value !== undefined && value !== null;
}

function ignored(field: string, detail: string): MappingWarning {
  return { code: 'ignored_trait', field, detail };
}

function invalid(field: string, detail: string): MappingWarning {
  return { code: 'dropped_invalid_value', field, detail };
}

/**
 * Of two spellings of one field, the one not used (`second`) when it was given and would not have
 * sent the same as the one used; `read` turns a value into what would be sent.
 */
function ignoredSpelling(
  obj: JsonObject,
  spellings: readonly [string, string],
  field: string,
  read: (value: JsonValue | undefined) => unknown,
): MappingWarning[] {
  const [first, second] = spellings;
  // The mapping reads `first` whenever it is present (company integers: whenever it is not null).
  if (!given(obj[second]) || obj[first] === undefined) return [];
  const value = read(obj[second]);
  if (value !== undefined && value === read(obj[first])) return [];
  return [ignored(`${field}.${second}`, `${first} is given and wins`)];
}

/** C-ID-2: text name parts that say something `name` does not, and name fields that are not text. */
function nameWarnings(traits: JsonObject): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  for (const key of ['name', 'firstName', 'lastName']) {
    if (given(traits[key]) && nonBlank(traits[key]) === undefined)
      warnings.push(invalid(`traits.${key}`, 'not a non-blank string'));
  }
  const name = nonBlank(traits['name']);
  const parts = ['firstName', 'lastName'].filter((key) => nonBlank(traits[key]) !== undefined);
  const joined = parts.map((key) => nonBlank(traits[key])).join(' ');
  if (name !== undefined && parts.length > 0 && joined !== name) {
    for (const key of parts) warnings.push(ignored(`traits.${key}`, 'name is given and wins (C-ID-2)'));
  }
  return warnings;
}

/** Who an identify is for and what its contact body became, as the warnings need them. */
export interface IdentifyOutcome {
  readonly userId: string | undefined;
  readonly active: boolean;
  readonly fields: ContactFields;
}

/** Warnings for the standard traits of an identify that its contact body leaves out (C-ID-1..6, C-IDN-1). */
export function identifyTraitWarnings(traits: JsonObject, outcome: IdentifyOutcome): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  if (given(traits['email']) && nonBlank(traits['email']) === undefined)
    warnings.push(invalid('traits.email', 'not a non-blank string'));
  if (given(traits['phone']) && outcome.fields.phone === undefined)
    warnings.push(invalid('traits.phone', 'not a non-blank string or a number'));
  warnings.push(...nameWarnings(traits));
  warnings.push(...ignoredSpelling(traits, ['createdAt', 'created_at'], 'traits', toUnixSeconds));
  if (given(traits['lastRequestAt']) && !outcome.active)
    warnings.push(
      ignored('traits.lastRequestAt', 'context.active is false: no last_seen_at is sent (C-ID-6)'),
    );
  if (given(traits['avatar']))
    warnings.push(ignored('traits.avatar', 'never sent: Intercom derives the avatar (C-ID-5)'));
  if (given(traits['id']) && toText(traits['id']) !== outcome.userId)
    warnings.push(ignored('traits.id', 'the contact is named by userId (C-IDN-1)'));
  return warnings;
}

/** C-ID-10, C-GR-1: a company's id keys that name another company than the `company_id` used. */
function companyIdWarnings(obj: JsonObject, companyId: string, field: string): MappingWarning[] {
  const warnings: MappingWarning[] = [];
  for (const key of ['id', 'company_id', 'companyId']) {
    if (given(obj[key]) && toText(obj[key]) !== companyId)
      warnings.push(ignored(`${field}.${key}`, `the company is named by company_id ${companyId}`));
  }
  return warnings;
}

/**
 * Warnings for the keys of a company object (`traits.company`, an item of `traits.companies`, a
 * group's traits) that its `POST /companies` body leaves out (C-ID-10, C-ID-11, C-GR-1).
 */
export function companyWarnings(obj: JsonObject, company: CompanyFields, field: string): MappingWarning[] {
  const warnings = companyIdWarnings(obj, company.company_id, field);
  for (const key of ['name', 'plan', 'website', 'industry']) {
    if (given(obj[key]) && toText(obj[key]) === undefined)
      warnings.push(invalid(`${field}.${key}`, 'not a non-blank string or a number'));
  }
  // The integer fields read the first spelling that is not null.
  if (obj['monthlySpend'] !== null)
    warnings.push(...ignoredSpelling(obj, ['monthlySpend', 'monthly_spend'], field, toIntercomInteger));
  warnings.push(...ignoredSpelling(obj, ['createdAt', 'created_at'], field, toUnixSeconds));
  if (given(obj['remove']) && typeof obj['remove'] !== 'boolean')
    warnings.push(invalid(`${field}.remove`, 'only remove: true detaches a company (C-ID-11)'));
  return warnings;
}
