import type { CallTally } from './call-tally.js';
import type { IntercomApi } from './api-calls.js';
import { IntercomHttpError, IntercomIdentityConflictError } from './errors.js';
import type { ContactKey, IdCache } from './id-cache.js';
import { contactKey } from './id-cache.js';
import type { ContactIdentity } from './operations.js';
import type { Contact } from './responses.js';

/** Intercom follows merge chains of up to 3 hops (intercom-api.md §3.3); so do we. */
const MAX_MERGE_HOPS = 3;

/** What contact resolution needs for one plan execution. */
export interface ContactContext {
  readonly client: IntercomApi;
  readonly idCache: IdCache;
  readonly destinationId: string;
  readonly tally: CallTally;
}

/** How a contact's Intercom id was found. */
export type ContactSource =
  'cache' | 'external_id' | 'email' | 'created' | 'conflict' | 'unarchived' | 'merged';

/** A contact's Intercom id and how it was found. */
export interface ResolvedContact {
  readonly id: string;
  readonly source: ContactSource;
  /**
   * Found without an external_id although the plan knows one (e.g. a lead the Messenger created):
   * the next write sets our external_id and `role: user`, so later lookups and events by user_id find it.
   */
  readonly adopt: boolean;
}

/** Creates the contact and returns its id; may throw the 409 that resolution turns into "use that id". */
export type CreateContact = () => Promise<string>;

/** The cache key of an identity: external_id when known, else email (C-IDN-1). */
export function identityKey(destinationId: string, identity: ContactIdentity): ContactKey | undefined {
  if (identity.externalId !== undefined) return contactKey(destinationId, 'external_id', identity.externalId);
  if (identity.email !== undefined) return contactKey(destinationId, 'email', identity.email);
  return undefined;
}

/**
 * Picks the contact an email search found for us: the one with our external_id, else one without any
 * external_id (a Messenger-created lead or user), users first. Contacts with a *different* external_id are
 * never picked when we know ours (C-IDN-2); without an external_id any match will do.
 */
export function pickContactByEmail(
  found: readonly Contact[],
  externalId: string | undefined,
): Contact | undefined {
  const usersFirst = [...found].sort((a, b) => Number(b.role === 'user') - Number(a.role === 'user'));
  if (externalId === undefined) return usersFirst[0];
  return (
    usersFirst.find((c) => c.external_id === externalId) ??
    usersFirst.find((c) => c.external_id === undefined)
  );
}

/** `find_by_external_id`, following a 410 `contact_merged` to the surviving contact. */
export async function findByExternalId(
  context: ContactContext,
  externalId: string,
): Promise<ResolvedContact | undefined> {
  try {
    const found = await context.tally.call(() => context.client.findContactByExternalId(externalId));
    return found === undefined ? undefined : { id: found.id, source: 'external_id', adopt: false };
  } catch (error: unknown) {
    if (!(error instanceof IntercomHttpError) || error.status !== 410 || error.link === undefined)
      throw error;
    context.tally.note(`followed merged contact to ${error.link.id}`);
    return { id: error.link.id, source: 'merged', adopt: false };
  }
}

/** C-IDN-4: the contact a 409 named carries another external_id, so this event must not write to it. */
function identityConflict(conflict: IntercomHttpError, existingId: string): IntercomIdentityConflictError {
  return new IntercomIdentityConflictError(existingId, conflict.request);
}

/** Whether a contact found for `identity` carries a different external_id (C-IDN-2: never overwritten). */
function belongsToAnother(identity: ContactIdentity, contact: Contact): boolean {
  return (
    identity.externalId !== undefined &&
    contact.external_id !== undefined &&
    contact.external_id !== identity.externalId
  );
}

/**
 * On a 409, the existing contact is used when it is ours (C-IDN-2). An archived one is unarchived first
 * (C-IDN-4), then updated by the caller. A live one is read to check its external_id. A contact with a
 * different external_id is never overwritten: that 409 becomes an identity conflict, which no retry
 * can resolve. (Intercom's 409s name a contact with our external_id, or, for an identity without one,
 * a user with our email, so the conflict means Intercom and this product disagree about who is who.)
 */
async function adoptConflict(
  context: ContactContext,
  identity: ContactIdentity,
  conflict: IntercomHttpError,
  existingId: string,
): Promise<ResolvedContact> {
  const what = conflict.request.method === 'PUT' ? 'update' : 'create';
  if (conflict.existingContactArchived) {
    // An archived contact cannot be read first (it is hidden from lookups): the unarchive's answer
    // names its external_id.
    const restored = await context.tally.call(() => context.client.unarchiveContact(existingId));
    context.tally.note(`${what} answered 409 for archived contact ${existingId}: unarchived`);
    if (belongsToAnother(identity, restored)) {
      context.tally.note(`archived contact ${existingId} has another external_id; not overwritten`);
      throw identityConflict(conflict, existingId);
    }
    const adopt = identity.externalId !== undefined && restored.external_id === undefined;
    return { id: existingId, source: 'unarchived', adopt };
  }
  const using = `${what} answered 409: using existing contact ${existingId}`;
  if (identity.externalId === undefined) {
    context.tally.note(using);
    return { id: existingId, source: 'conflict', adopt: false };
  }
  const existing = await context.tally.call(() => context.client.getContact(existingId));
  if (belongsToAnother(identity, existing)) {
    context.tally.note(`409 points at contact ${existingId} with another external_id; not overwritten`);
    throw identityConflict(conflict, existingId);
  }
  context.tally.note(using);
  return { id: existingId, source: 'conflict', adopt: existing.external_id === undefined };
}

/**
 * C-IDN-2: cache → `find_by_external_id` → email search → `create` (when given). A 409 on create uses the
 * id in its message (C-IDN-4: unarchived first when archived; an identity conflict when it has another
 * external_id). Ids found are cached (C-IDN-3). `undefined`: no such contact and `create` not given.
 */
export async function resolveContact(
  context: ContactContext,
  identity: ContactIdentity,
  options: { readonly create?: CreateContact; readonly skipCache?: boolean },
): Promise<ResolvedContact | undefined> {
  const { idCache, tally } = context;
  const key = identityKey(context.destinationId, identity);
  if (key === undefined) return undefined;
  if (options.skipCache !== true) {
    const cached = await idCache.getContactId(key);
    if (cached !== undefined) return { id: cached, source: 'cache', adopt: false };
  }
  const resolved = await lookUp(context, identity);
  if (resolved !== undefined) {
    await idCache.setContactId(key, resolved.id);
    return resolved;
  }
  if (options.create === undefined) return undefined;
  let created: ResolvedContact;
  try {
    created = { id: await options.create(), source: 'created', adopt: false };
    tally.note(`created contact ${created.id}`);
  } catch (error: unknown) {
    const existingId = error instanceof IntercomHttpError ? error.existingContactId : undefined;
    if (existingId === undefined || !(error instanceof IntercomHttpError)) throw error;
    created = await adoptConflict(context, identity, error, existingId);
  }
  await idCache.setContactId(key, created.id);
  return created;
}

/** The lookups of C-IDN-2 without the cache and without creating. */
async function lookUp(
  context: ContactContext,
  identity: ContactIdentity,
): Promise<ResolvedContact | undefined> {
  if (identity.externalId !== undefined) {
    const found = await findByExternalId(context, identity.externalId);
    if (found !== undefined) return found;
  }
  const email = identity.email;
  if (email === undefined) return undefined;
  const matches = await context.tally.call(() => context.client.searchContactsByEmail(email));
  const picked = pickContactByEmail(matches, identity.externalId);
  if (picked === undefined) return undefined;
  return {
    id: picked.id,
    source: 'email',
    adopt: identity.externalId !== undefined && picked.external_id === undefined,
  };
}

/** A 409 to `PUT /contacts/{id}` that names the contact holding these details. */
function isUpdateConflict(
  error: IntercomHttpError,
): error is IntercomHttpError & { existingContactId: string } {
  return error.status === 409 && error.request.method === 'PUT' && error.existingContactId !== undefined;
}

/**
 * Resolves the contact and runs `action` on it, recovering from what a remembered id can run into:
 * 410 `contact_merged` → the `Link` id (cached, up to 3 hops), 404 on a cached id → forget it and resolve
 * again once (C-IDN-2), 409 on an update → the contact it names (C-IDN-4, once). Resolves `undefined`
 * when there is no contact and `create` was not given.
 */
export async function withContact(
  context: ContactContext,
  identity: ContactIdentity,
  create: CreateContact | undefined,
  action: (contact: ResolvedContact) => Promise<void>,
): Promise<ResolvedContact | undefined> {
  const options = create === undefined ? {} : { create };
  const key = identityKey(context.destinationId, identity);
  let contact = await resolveContact(context, identity, options);
  let hops = 0;
  let refreshed = false;
  let adopted = false;
  while (contact !== undefined) {
    try {
      await action(contact);
      return contact;
    } catch (error: unknown) {
      if (!(error instanceof IntercomHttpError) || key === undefined) throw error;
      if (error.status === 410 && error.link !== undefined && hops < MAX_MERGE_HOPS) {
        hops += 1;
        context.tally.note(`followed merged contact to ${error.link.id}`);
        await context.idCache.setContactId(key, error.link.id);
        contact = { id: error.link.id, source: 'merged', adopt: contact.adopt };
      } else if (
        error.status === 404 &&
        error.code !== 'company_not_found' &&
        contact.source === 'cache' &&
        !refreshed
      ) {
        refreshed = true;
        context.tally.note(`cached contact ${contact.id} not found: resolving again`);
        await context.idCache.deleteContactId(key);
        contact = await resolveContact(context, identity, { ...options, skipCache: true });
      } else if (isUpdateConflict(error) && !adopted) {
        // The contact we write to is not the one Intercom keys this identity to (an email match raced
        // with a create, or ours is archived): switch to the one the 409 names, as after a create (C-IDN-4).
        adopted = true;
        contact = await adoptConflict(context, identity, error, error.existingContactId);
        await context.idCache.setContactId(key, contact.id);
      } else {
        throw error;
      }
    }
  }
  return undefined;
}
