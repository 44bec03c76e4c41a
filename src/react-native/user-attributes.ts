/**
 * M-3, M-4: who an identify names and the attributes it sends, with cloud mode's rules (identity
 * C-IDN-1, name C-ID-2, dates C-ID-3, custom attributes C-ID-4, unsubscribe C-ID-8, companies C-ID-9/10).
 *
 * | SDK attribute            | from                                                          |
 * |--------------------------|---------------------------------------------------------------|
 * | login `userId` / `email` | `userId`, else `traits.email` (trimmed)                        |
 * | `email`                  | `traits.email`                                                |
 * | `name`                   | `traits.name`, else first + last name                          |
 * | `phone`                  | `traits.phone` (a number is written as digits)                 |
 * | `signedUpAt`             | `traits.createdAt` ?? `traits.created_at`, Unix seconds        |
 * | `unsubscribedFromEmails` | `integrations.Intercom` ?? `context.Intercom` `.unsubscribedFromEmails`, booleans only |
 * | `companies`              | `traits.company`, `traits.companies` (M-7 shape)               |
 * | `customAttributes`       | every other scalar trait; objects, arrays and `avatar` dropped |
 */
import type { IdentifyEvent } from '../segment/event.js';
import { mapCustomAttributes } from '../mapping/attributes.js';
import { toText } from '../mapping/company.js';
import { toUnixSeconds } from '../mapping/dates.js';
import { objectOrEmpty } from '../mapping/event-context.js';
import { contactIdentity } from '../mapping/identity.js';
import { intercomOption } from '../mapping/intercom-option.js';
import { fullName } from '../mapping/name.js';
import { IDENTIFY_STANDARD_TRAITS } from '../mapping/standard-traits.js';
import type { MobileUserAttributes } from './sdk-call.js';
import { toMobileCompanies } from './mobile-company.js';

/** Traits with a meaning of their own (C-ID-4, C-ID-5), plus the ids that name the user themselves. */
const STANDARD_TRAITS: ReadonlySet<string> = new Set([...IDENTIFY_STANDARD_TRAITS, 'userId', 'user_id']);

/** The person an identify names: by userId, else by email (C-IDN-1). */
export interface MobileUser {
  readonly userId?: string;
  readonly email?: string;
}

/** The user an identify names, or `undefined` when it has neither a userId nor an email (M-3). */
export function identifyUser(event: IdentifyEvent): MobileUser | undefined {
  const identity = contactIdentity(event.userId, [objectOrEmpty(event.traits)['email']]);
  if (identity === undefined) return undefined;
  const { externalId: userId, email } = identity;
  return { ...(userId !== undefined && { userId }), ...(email !== undefined && { email }) };
}

/** M-4: the attributes an identify sends with `updateUser` (identity fields aside, see M-3). */
export function userAttributes(event: IdentifyEvent, user: MobileUser): MobileUserAttributes {
  const traits = objectOrEmpty(event.traits);
  const attributes: MobileUserAttributes = {};
  if (user.email !== undefined) attributes.email = user.email;
  const name = fullName(traits);
  if (name !== undefined) attributes.name = name;
  const phone = toText(traits['phone']);
  if (phone !== undefined) attributes.phone = phone;
  const signedUpAt = toUnixSeconds(traits['createdAt'] ?? traits['created_at']);
  if (signedUpAt !== undefined) attributes.signedUpAt = signedUpAt;
  const unsubscribed = intercomOption(event, ['unsubscribedFromEmails']);
  if (typeof unsubscribed === 'boolean') attributes.unsubscribedFromEmails = unsubscribed;
  const companies = toMobileCompanies(traits['company'], traits['companies']);
  if (companies.length > 0) attributes.companies = companies;
  const custom = mapCustomAttributes(traits, STANDARD_TRAITS, 'traits');
  if (custom.count > 0) attributes.customAttributes = custom.attributes;
  return attributes;
}
