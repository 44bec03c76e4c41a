/**
 * identify → create or update a contact, then its companies (C-ID-1..12).
 *
 * | Intercom field                 | from                                                                   | rule    |
 * |--------------------------------|------------------------------------------------------------------------|---------|
 * | `external_id`                  | `userId`                                                               | C-IDN-1 |
 * | `email`                        | `traits.email`                                                         | C-ID-1  |
 * | `phone`                        | `traits.phone` (string, or a number written as digits)                 | C-ID-1  |
 * | `name`                         | `traits.name`, else first + last name                                  | C-ID-2  |
 * | `signed_up_at`                 | `traits.createdAt` ?? `traits.created_at` → Unix seconds               | C-ID-3  |
 * | `last_seen_at`                 | `traits.lastRequestAt` ?? `timestamp`, unless `context.active` = false | C-ID-6  |
 * | `unsubscribed_from_emails`     | `context.Intercom` ?? `integrations.Intercom` `.unsubscribedFromEmails`| C-ID-8  |
 * | `custom_attributes`            | other scalar traits (dates → seconds)                                  | C-ID-4  |
 * | `custom_attributes.last_seen_user_agent` / `last_seen_ip` | `context.userAgent` / `context.ip`          | C-ID-7  |
 * | `custom_attributes.device_type` …   | `context.device/os/app` with `collectContext`                    | C-ID-12 |
 * | (never)                        | `traits.avatar`                                                        | C-ID-5  |
 * | companies                      | `traits.company` (string or object), `traits.companies[]`              | C-ID-9..11 |
 */
import type { JsonObject, JsonValue } from '../segment/json.js';
import { isJsonObject } from '../segment/json.js';
import type { IdentifyEvent } from '../segment/event.js';
import type {
  AttributeTypes,
  ContactFields,
  ContactIdentity,
  MappingWarning,
  Operation,
  Plan,
} from '../intercom/operations.js';
import type { MappingSettings } from './settings.js';
import { toUnixSeconds } from './dates.js';
import { fullName } from './name.js';
import { mapCustomAttributes, toScalarAttribute, type CustomAttributes } from './attributes.js';
import { companyFromName, mapCompany, type CompanyMapping } from './company.js';
import { contactIdentity, identityFields, nonBlank } from './identity.js';
import { isActive, objectOrEmpty, pathValue } from './event-context.js';
import { IDENTIFY_STANDARD_TRAITS } from './standard-traits.js';
import { companyWarnings, identifyTraitWarnings } from './trait-warnings.js';
import { leadMerges, withContactRole } from './leads.js';

/** C-ID-7 and C-ID-12: custom attribute name ← path inside `context`. */
const CONTEXT_ATTRIBUTES: readonly (readonly [string, readonly string[], boolean])[] = [
  // [attribute, path, only with collectContext]
  ['last_seen_user_agent', ['userAgent'], false],
  ['last_seen_ip', ['ip'], false],
  ['device_type', ['device', 'type'], true],
  ['device_manufacturer', ['device', 'manufacturer'], true],
  ['device_model', ['device', 'model'], true],
  ['os_name', ['os', 'name'], true],
  ['os_version', ['os', 'version'], true],
  ['app_name', ['app', 'name'], true],
  ['app_version', ['app', 'version'], true],
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A date field: seconds, or a warning when a value was given but is not a date. */
function dateField(
  value: JsonValue | undefined,
  field: string,
  warnings: MappingWarning[],
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const seconds = toUnixSeconds(value);
  if (seconds === undefined)
    warnings.push({ code: 'invalid_date', field, detail: 'not a date Intercom can store' });
  return seconds;
}

/** C-ID-8: the first real boolean among the Intercom-specific options. */
function unsubscribed(event: IdentifyEvent): boolean | undefined {
  for (const root of [event.context, event.integrations]) {
    const value = pathValue(root, ['Intercom', 'unsubscribedFromEmails']);
    if (typeof value === 'boolean') return value;
  }
  return undefined;
}

/** C-ID-4, C-ID-7, C-ID-12: custom attributes from traits, then context values traits did not set. */
function customAttributes(
  traits: JsonObject,
  context: JsonObject,
  settings: MappingSettings,
  warnings: MappingWarning[],
): CustomAttributes {
  const custom = mapCustomAttributes(traits, IDENTIFY_STANDARD_TRAITS, 'traits');
  warnings.push(...custom.warnings);
  const { attributes, types } = custom;
  let count = custom.count;
  for (const [name, path, needsSetting] of CONTEXT_ATTRIBUTES) {
    if ((needsSetting && !settings.collectContext) || Object.hasOwn(attributes, name)) continue;
    const raw = pathValue(context, path);
    const scalar =
      raw === undefined || raw === null || isJsonObject(raw) ? undefined : toScalarAttribute(raw);
    if (scalar === undefined || scalar.type === undefined) continue;
    attributes[name] = scalar.value;
    types[name] = scalar.type;
    count += 1;
  }
  return { attributes, types, count, warnings: custom.warnings };
}

/** C-ID-1..8, C-ID-12: the contact body of an identify. */
function contactFields(
  event: IdentifyEvent,
  identity: ContactIdentity,
  traits: JsonObject,
  settings: MappingSettings,
  warnings: MappingWarning[],
): { fields: ContactFields; types: AttributeTypes } {
  const context = objectOrEmpty(event.context);
  // C-ID-1: an identify's identity email is traits.email (C-IDN-1).
  const fields: Mutable<ContactFields> = identityFields(identity);
  const phoneRaw = traits['phone'];
  const phone =
    typeof phoneRaw === 'number' && Number.isFinite(phoneRaw) ? String(phoneRaw) : nonBlank(phoneRaw);
  if (phone !== undefined) fields.phone = phone;
  const name = fullName(traits);
  if (name !== undefined) fields.name = name;
  const createdKey = traits['createdAt'] !== undefined ? 'createdAt' : 'created_at';
  const signedUp = dateField(traits[createdKey], `traits.${createdKey}`, warnings);
  if (signedUp !== undefined) fields.signed_up_at = signedUp;
  if (isActive(context)) {
    const lastSeen =
      dateField(traits['lastRequestAt'], 'traits.lastRequestAt', warnings) ?? toUnixSeconds(event.timestamp);
    if (lastSeen !== undefined) fields.last_seen_at = lastSeen;
  }
  const unsubscribedFromEmails = unsubscribed(event);
  if (unsubscribedFromEmails !== undefined) fields.unsubscribed_from_emails = unsubscribedFromEmails;
  const custom = customAttributes(traits, context, settings, warnings);
  if (custom.count > 0) fields.custom_attributes = custom.attributes;
  return { fields, types: custom.types };
}

/** C-ID-9/10: `traits.company` may be a name or an object, each `traits.companies` entry an object. */
function toCompanyMapping(field: string, value: JsonValue): CompanyMapping | undefined {
  const name = field === 'traits.company' ? nonBlank(value) : undefined;
  if (name !== undefined) {
    return {
      kind: 'company',
      company: companyFromName(name),
      attributeTypes: {},
      remove: false,
      warnings: [],
    };
  }
  return isJsonObject(value) ? mapCompany(value, { field }) : undefined;
}

/** C-ID-9..11: company operations for `traits.company` and `traits.companies`, in that order. */
function companyOperations(
  identity: ContactIdentity,
  traits: JsonObject,
  settings: MappingSettings,
  warnings: MappingWarning[],
): Operation[] {
  const sources: [string, JsonValue][] = [];
  const single = traits['company'];
  if (single !== undefined && single !== null) sources.push(['traits.company', single]);
  const list = traits['companies'];
  if (Array.isArray(list)) {
    list.forEach((item: JsonValue, i) => sources.push([`traits.companies[${i}]`, item]));
  } else if (list !== undefined && list !== null) {
    warnings.push({
      code: 'skipped_company',
      field: 'traits.companies',
      detail: 'companies must be an array of objects',
    });
  }
  const operations: Operation[] = [];
  for (const [field, value] of sources) {
    const mapped = toCompanyMapping(field, value);
    if (mapped === undefined) {
      warnings.push({ code: 'skipped_company', field, detail: 'a company is a name or an object' });
      continue;
    }
    if (mapped.kind === 'skip') {
      warnings.push(mapped.warning);
      continue;
    }
    warnings.push(...mapped.warnings);
    const companyId = mapped.company.company_id;
    if (isJsonObject(value) && !mapped.remove)
      warnings.push(...companyWarnings(value, mapped.company, field));
    if (mapped.remove) {
      operations.push({ kind: 'detach_company', identity, companyId });
      continue;
    }
    const attributeTypes = settings.createMissingAttributes ? mapped.attributeTypes : {};
    operations.push({ kind: 'upsert_company', company: mapped.company, attributeTypes });
    operations.push({ kind: 'attach_company', identity, companyId });
  }
  return operations;
}

/**
 * Maps an identify: `upsert_contact` first (the companies need the contact), then with leads on the
 * merge of the email's leads into the user (C-IDN-5), then for each company `upsert_company` +
 * `attach_company`, or `detach_company` for `remove: true`.
 */
export function mapIdentify(event: IdentifyEvent, settings: MappingSettings): Plan {
  const traits = objectOrEmpty(event.traits);
  const named = contactIdentity(event.userId, [traits['email']]);
  if (named === undefined) {
    return { kind: 'skip', reason: 'no_identity', detail: 'identify has neither userId nor traits.email' };
  }
  const identity = withContactRole(named, settings);
  const warnings: MappingWarning[] = [];
  const { fields, types } = contactFields(event, identity, traits, settings, warnings);
  const active = isActive(objectOrEmpty(event.context));
  warnings.push(...identifyTraitWarnings(traits, { userId: identity.externalId, active, fields }));
  const operations: Operation[] = [
    {
      kind: 'upsert_contact',
      identity,
      fields,
      attributeTypes: settings.createMissingAttributes ? types : {},
    },
    ...leadMerges(identity, settings),
    ...companyOperations(identity, traits, settings, warnings),
  ];
  return { kind: 'deliver', operations, warnings };
}
