/**
 * `POST /contacts/merge` (OpenAPI 2.16 `MergeContact`): a lead merged into a user. The lead's
 * attributes fill what the user does not have, its events and companies move to the user, and the
 * lead is gone: it answers 410 `contact_merged` with a `Link` to the user, as merged contacts do
 * (intercom-api.md §3.3, §3.6).
 */
import { type BodyObject, booleanField, stringField } from './body-fields.js';
import { type Result, fail, ok } from './api-result.js';
import { getContact, mergeContacts } from './contact-store.js';
import { type SandboxContact, type Store, nowSeconds } from './store.js';

/** 2.16's answer when the two contacts share no email or phone (the MergeContact example). */
const NOT_DUPLICATES =
  'Contacts can only be merged when they are duplicates (matching email or phone). Pass skip_duplicate_validation=true to override this check.';

/** Same email (case-insensitive) or same phone: what 2.16 calls duplicates. */
function areDuplicates(a: SandboxContact, b: SandboxContact): boolean {
  const sameEmail = a.email !== null && b.email !== null && a.email.toLowerCase() === b.email.toLowerCase();
  return sameEmail || (a.phone !== null && a.phone === b.phone);
}

/** The user with the lead's values where the user has none. */
function withLeadValues(user: SandboxContact, lead: SandboxContact, now: number): SandboxContact {
  const merged: SandboxContact = {
    ...user,
    custom_attributes: { ...user.custom_attributes },
    updated_at: now,
  };
  for (const key of ['email', 'phone', 'name', 'avatar', 'owner_id', 'signed_up_at'] as const) {
    if (merged[key] === null) Object.assign(merged, { [key]: lead[key] });
  }
  if (lead.last_seen_at !== null && (merged.last_seen_at ?? 0) < lead.last_seen_at)
    merged.last_seen_at = lead.last_seen_at;
  for (const [name, value] of Object.entries(lead.custom_attributes)) {
    const own = merged.custom_attributes[name];
    if (own === undefined || own === null) merged.custom_attributes[name] = value;
  }
  return merged;
}

/** The lead's events become the user's (a duplicate of an event the user has is dropped, §4.2). */
function moveEvents(store: Store, lead: SandboxContact, user: SandboxContact): void {
  const kept = store.events.filter((event) => {
    if (event.contact_id !== lead.id) return true;
    const oldKey = `${lead.id}\n${event.event_name.toLowerCase()}\n${event.created_at}`;
    const newKey = `${user.id}\n${event.event_name.toLowerCase()}\n${event.created_at}`;
    store.eventKeys.delete(oldKey);
    if (store.eventKeys.has(newKey)) return false;
    store.eventKeys.add(newKey);
    Object.assign(event, { contact_id: user.id, user_id: user.external_id, email: user.email });
    return true;
  });
  store.events.splice(0, store.events.length, ...kept);
}

/** The lead's companies become the user's. */
function moveCompanies(store: Store, lead: SandboxContact, user: SandboxContact): void {
  const leadCompanies = store.attachments.get(lead.id);
  if (leadCompanies === undefined) return;
  const userCompanies = store.attachments.get(user.id) ?? new Set<string>();
  for (const companyId of leadCompanies) userCompanies.add(companyId);
  store.attachments.set(user.id, userCompanies);
  store.attachments.delete(lead.id);
}

/** `POST /contacts/merge {from, into, skip_duplicate_validation?}`: `from` a lead, `into` a user. */
export function mergeLeadIntoUser(store: Store, body: BodyObject): Result<SandboxContact> {
  const from = stringField(body, 'from');
  const into = stringField(body, 'into');
  if (from === undefined || into === undefined)
    return fail(400, 'parameter_invalid', 'from and into are required');
  const lead = getContact(store, from);
  if (!lead.ok) return lead;
  const user = getContact(store, into);
  if (!user.ok) return user;
  if (lead.value.role !== 'lead')
    return fail(400, 'parameter_invalid', 'from must be a contact with role lead');
  if (user.value.role !== 'user')
    return fail(400, 'parameter_invalid', 'into must be a contact with role user');
  if (booleanField(body, 'skip_duplicate_validation') !== true && !areDuplicates(lead.value, user.value))
    return fail(400, 'invalid_merge', NOT_DUPLICATES);
  const merged = withLeadValues(user.value, lead.value, nowSeconds(store));
  store.contacts.set(merged.id, merged);
  moveEvents(store, lead.value, merged);
  moveCompanies(store, lead.value, merged);
  const marked = mergeContacts(store, from, into);
  return marked.ok ? ok(structuredClone(merged)) : marked;
}
