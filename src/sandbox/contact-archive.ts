import { type Result, fail, ok, userNotFound } from './api-result.js';
import { type SandboxContact, type Store, nowSeconds } from './store.js';

/** The answer of archive and unarchive (`contact_archived`, `contact_unarchived` in the 2.16 description). */
export function toArchiveAnswer(contact: SandboxContact): Readonly<Record<string, unknown>> {
  return { type: 'contact', id: contact.id, external_id: contact.external_id, archived: contact.archived };
}

/** The contact to archive or unarchive: known and not merged away, archived or not. */
function stored(store: Store, id: string): Result<SandboxContact> {
  const contact = store.contacts.get(id);
  if (contact === undefined) return userNotFound();
  // Intercom's answer when unarchiving a merged contact, as reported on its community forum.
  if (contact.merged_into !== null)
    return fail(400, 'bad_request', 'User has been merged and is not restorable.');
  return ok(contact);
}

/** Sets the archived flag; doing it twice changes nothing more. */
function setArchived(store: Store, id: string, archived: boolean): Result<SandboxContact> {
  const found = stored(store, id);
  if (!found.ok) return found;
  const contact = found.value;
  if (contact.archived !== archived) {
    contact.archived = archived;
    contact.updated_at = nowSeconds(store);
  }
  return ok(structuredClone(contact));
}

/**
 * `POST /contacts/{id}/archive`: a soft delete. The contact disappears from lookups, search and events,
 * but a create with its external_id (or, without one, its user email) still answers 409, with the
 * message "An archived contact matching those details already exists with id=…" (C-IDN-4).
 */
export function archiveContact(store: Store, id: string): Result<SandboxContact> {
  return setArchived(store, id, true);
}

/** `POST /contacts/{id}/unarchive`: brings an archived contact back, with everything it held. */
export function unarchiveContact(store: Store, id: string): Result<SandboxContact> {
  return setArchived(store, id, false);
}
