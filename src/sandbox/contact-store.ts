import { type BodyObject, stringField, booleanField, secondsField } from './body-fields.js';
import { checkCustomAttributes } from './data-attribute-store.js';
import { type Result, ok, fail, userNotFound } from './api-result.js';
import { type SandboxContact, type Store, nextId, nowSeconds } from './store.js';

/** Intercom resolves merge chains of up to 3 hops (intercom-api.md §3.3). */
const MAX_MERGE_HOPS = 3;

/** Contacts that have been neither merged away nor archived: what lookups, search and events see. */
export function liveContacts(store: Store): SandboxContact[] {
  return [...store.contacts.values()].filter((c) => c.merged_into === null && !c.archived);
}

/** Intercom's 409, with its own message for an archived match (intercom-api.md §4.8). */
function conflict<T>(other: SandboxContact): Result<T> {
  const message = other.archived
    ? `An archived contact matching those details already exists with id=${other.id}`
    : `A contact matching those details already exists with id=${other.id}`;
  return fail(409, 'conflict', message);
}

/** The 410 Intercom answers for a merged-away contact, with the canonical contact in the `Link` header. */
function merged<T>(store: Store, contact: SandboxContact): Result<T> {
  let target = contact;
  for (let hop = 0; hop < MAX_MERGE_HOPS && target.merged_into !== null; hop += 1) {
    const next = store.contacts.get(target.merged_into);
    if (next === undefined) break;
    target = next;
  }
  return fail(
    410,
    'contact_merged',
    "This contact has been merged. See the 'Link' header for the canonical contact.",
    {
      link: `</contacts/${target.id}>; rel="canonical"`,
    },
  );
}

/**
 * Who counts as a duplicate (intercom-api.md §4.8a): a contact with the same external_id, live or
 * archived; and, for a user without an external_id, a user with the same email. Users with different
 * external_ids may share an email (C-IDN-2). A live match is named before an archived one.
 */
function findDuplicate(store: Store, self: string | undefined, candidate: SandboxContact): Result<undefined> {
  const email = candidate.email?.toLowerCase();
  const matches = (other: SandboxContact): boolean => {
    if (other.id === self || other.merged_into !== null) return false;
    if (candidate.external_id !== null) return other.external_id === candidate.external_id;
    return (
      email !== undefined &&
      candidate.role === 'user' &&
      other.role === 'user' &&
      other.email?.toLowerCase() === email
    );
  };
  const all = [...store.contacts.values()].filter(matches);
  const match = all.find((c) => !c.archived) ?? all[0];
  return match === undefined ? ok(undefined) : conflict(match);
}

const NULLABLE_STRINGS = ['external_id', 'email', 'phone', 'name', 'avatar', 'owner_id'] as const;

/** Applies the fields of a create/update body to a copy of the contact; absent fields stay as they are. */
function applyFields(store: Store, contact: SandboxContact, body: BodyObject): Result<SandboxContact> {
  const next: SandboxContact = { ...contact, custom_attributes: { ...contact.custom_attributes } };
  const role = body['role'];
  if (role !== undefined) {
    if (role !== 'user' && role !== 'lead')
      return fail(400, 'parameter_invalid', 'role must be one of user, lead');
    next.role = role;
  }
  for (const key of NULLABLE_STRINGS) {
    if (body[key] === null) next[key] = null;
    const value =
      key === 'owner_id' && typeof body[key] === 'number' ? String(body[key]) : stringField(body, key);
    if (value !== undefined) next[key] = value;
  }
  for (const key of ['signed_up_at', 'last_seen_at'] as const) {
    const value = secondsField(body, key);
    if (value !== undefined) next[key] = value;
  }
  const unsubscribed = booleanField(body, 'unsubscribed_from_emails');
  if (unsubscribed !== undefined) next.unsubscribed_from_emails = unsubscribed;
  const attributes = checkCustomAttributes(store, 'contact', body['custom_attributes']);
  if (!attributes.ok) return attributes;
  Object.assign(next.custom_attributes, attributes.value);
  return ok(next);
}

/** `POST /contacts`: needs an email, external_id or role; 409 on a duplicate external_id or user email. */
export function createContact(store: Store, body: BodyObject): Result<SandboxContact> {
  if (body['email'] === undefined && body['external_id'] === undefined && body['role'] === undefined) {
    return fail(400, 'parameter_invalid', 'Either role, email or external_id is required');
  }
  const now = nowSeconds(store);
  const blank: SandboxContact = {
    id: '',
    role: 'user',
    external_id: null,
    email: null,
    phone: null,
    name: null,
    avatar: null,
    owner_id: null,
    signed_up_at: null,
    last_seen_at: null,
    unsubscribed_from_emails: false,
    custom_attributes: {},
    created_at: now,
    updated_at: now,
    created_at_ms: store.settings.clock.now(),
    merged_into: null,
    archived: false,
  };
  const applied = applyFields(store, blank, body);
  if (!applied.ok) return applied;
  const duplicate = findDuplicate(store, undefined, applied.value);
  if (!duplicate.ok) return duplicate;
  const contact = { ...applied.value, id: nextId(store, 'contact') };
  store.contacts.set(contact.id, contact);
  return ok(structuredClone(contact));
}

/** A contact by Intercom id; 404 when unknown or archived (a soft delete), 410 when merged away. */
export function getContact(store: Store, id: string): Result<SandboxContact> {
  const contact = store.contacts.get(id);
  if (contact === undefined || contact.archived) return userNotFound();
  if (contact.merged_into !== null) return merged(store, contact);
  return ok(structuredClone(contact));
}

/** `PUT /contacts/{id}`. */
export function updateContact(store: Store, id: string, body: BodyObject): Result<SandboxContact> {
  const current = getContact(store, id);
  if (!current.ok) return current;
  const applied = applyFields(store, current.value, body);
  if (!applied.ok) return applied;
  const duplicate = findDuplicate(store, id, applied.value);
  if (!duplicate.ok) return duplicate;
  const contact = { ...applied.value, updated_at: nowSeconds(store) };
  store.contacts.set(id, contact);
  return ok(structuredClone(contact));
}

/**
 * `DELETE /contacts/{id}`: the contact goes, with its company attachments and its data events, as
 * Intercom's "delete a contact" erases them; 404 when unknown, 410 when merged away.
 */
export function deleteContact(store: Store, id: string): Result<SandboxContact> {
  const current = getContact(store, id);
  if (!current.ok) return current;
  store.contacts.delete(id);
  store.attachments.delete(id);
  const kept = store.events.filter((event) => event.contact_id !== id);
  store.events.splice(0, store.events.length, ...kept);
  return current;
}

/**
 * `GET /contacts/find_by_external_id/{external_id}`: users only, archived ones not found; 410 when the
 * only match was merged away.
 */
export function findContactByExternalId(store: Store, externalId: string): Result<SandboxContact> {
  const matches = [...store.contacts.values()].filter(
    (c) => c.external_id === externalId && c.role === 'user' && !c.archived,
  );
  const live = matches.find((c) => c.merged_into === null);
  if (live !== undefined) return ok(structuredClone(live));
  const gone = matches[0];
  return gone === undefined ? userNotFound() : merged(store, gone);
}

/** The sandbox control `POST /sandbox/merge`: marks `from` as merged into `into` (both Intercom ids). */
export function mergeContacts(store: Store, from: string, into: string): Result<SandboxContact> {
  const source = store.contacts.get(from);
  const target = store.contacts.get(into);
  if (source === undefined || target === undefined) return userNotFound();
  if (from === into || source.merged_into !== null || target.merged_into !== null) {
    return fail(400, 'invalid_merge', 'Both contacts must exist, differ and not be merged already');
  }
  source.merged_into = into;
  source.updated_at = nowSeconds(store);
  return ok(structuredClone(target));
}

/** The live contact an event names: Intercom `id`, else `user_id` (external_id), else a user's `email` (§3.10). */
export function findEventContact(
  store: Store,
  ids: { id?: string; userId?: string; email?: string },
): SandboxContact | undefined {
  const live = liveContacts(store);
  const canonical = (c: SandboxContact | undefined): SandboxContact | undefined => {
    let target = c;
    for (let hop = 0; hop < MAX_MERGE_HOPS && target?.merged_into != null; hop += 1)
      target = store.contacts.get(target.merged_into);
    return target?.merged_into === null && !target.archived ? target : undefined;
  };
  if (ids.id !== undefined) return canonical(store.contacts.get(ids.id));
  if (ids.userId !== undefined) return live.find((c) => c.external_id === ids.userId);
  // "When submitting events for Leads, you will need to specify the Lead's id" (createDataEvent).
  const email = ids.email?.toLowerCase();
  return email === undefined
    ? undefined
    : live.find((c) => c.email?.toLowerCase() === email && c.role === 'user');
}
