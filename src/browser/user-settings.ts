/**
 * D-4: the Messenger settings for an identify call, built with the same rules as cloud mode
 * (name C-ID-2, dates C-ID-3, custom attributes C-ID-4, companies C-ID-9/10).
 *
 * | setting            | from                                                         |
 * |--------------------|--------------------------------------------------------------|
 * | `user_id`          | `userId`                                                     |
 * | `email`, `phone`   | `traits.email`, `traits.phone`                               |
 * | `name`             | `traits.name`, else first + last name                         |
 * | `created_at`       | `traits.createdAt` ?? `traits.created_at`, Unix seconds       |
 * | `company`          | `traits.company` (a name is hashed to its id)                 |
 * | `companies`        | `traits.companies`                                           |
 * | any other trait    | in-line custom attribute (scalars only; avatar dropped)      |
 */
import type { JsonValue } from '../segment/json.js';
import type { IdentifyEvent } from '../segment/event.js';
import { fullName } from '../mapping/name.js';
import { toUnixSeconds } from '../mapping/dates.js';
import { mapCustomAttributes } from '../mapping/attributes.js';
import { IDENTIFY_STANDARD_TRAITS } from '../mapping/standard-traits.js';
import type { MessengerSettings } from './messenger-call.js';
import { toMessengerCompanies, toMessengerCompany } from './messenger-company.js';

/** Traits with a meaning of their own (C-ID-4, C-ID-5), never copied as custom attributes; in the
 * browser the ids are the Messenger's own `user_id` too. */
const STANDARD_TRAITS: ReadonlySet<string> = new Set([...IDENTIFY_STANDARD_TRAITS, 'userId', 'user_id']);

/** Who an identify call is about; device mode boots a user only with one of these (D-4). */
export interface MessengerUser {
  readonly userId?: string;
  readonly email?: string;
}

/** The user an identify names, or `undefined` when it has neither a userId nor an email (D-4). */
export function identifyUser(event: IdentifyEvent): MessengerUser | undefined {
  const userId = typeof event.userId === 'string' && event.userId !== '' ? event.userId : undefined;
  const rawEmail = event.traits?.['email'];
  const email = typeof rawEmail === 'string' && rawEmail.trim() !== '' ? rawEmail : undefined;
  if (userId === undefined && email === undefined) return undefined;
  return { ...(userId !== undefined && { userId }), ...(email !== undefined && { email }) };
}

/** D-4: user settings for `boot`/`update` from an identify call's traits. */
export function userSettings(event: IdentifyEvent, user: MessengerUser): MessengerSettings {
  const traits = event.traits ?? {};
  const settings: Record<string, JsonValue> = {
    ...mapCustomAttributes(traits, STANDARD_TRAITS, 'traits').attributes,
  };
  if (user.userId !== undefined) settings['user_id'] = user.userId;
  if (user.email !== undefined) settings['email'] = user.email;
  const phone = traits['phone'];
  if (typeof phone === 'string' && phone !== '') settings['phone'] = phone;
  const name = fullName(traits);
  if (name !== undefined) settings['name'] = name;
  const createdAt = toUnixSeconds(traits['createdAt'] ?? traits['created_at']);
  if (createdAt !== undefined) settings['created_at'] = createdAt;
  const company = toMessengerCompany(traits['company'], 'traits.company');
  if (company !== undefined) settings['company'] = company;
  const companies = toMessengerCompanies(traits['companies']);
  if (companies.length > 0) settings['companies'] = companies;
  return settings;
}
