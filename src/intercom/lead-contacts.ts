/**
 * C-IDN-5 in the executor: a lead's events go by its Intercom id, and the leads of an email are merged
 * into the user who now has it (`POST /contacts/merge`). Contact resolution itself is C-IDN-2's
 * (`contact-resolver.ts`); this file only adds what leads need on top of it.
 */
import type { ContactContext } from './contact-resolver.js';
import { resolveContact, withContact } from './contact-resolver.js';
import { IntercomHttpError } from './errors.js';
import { contactKey } from './id-cache.js';
import type { MergeLeadOp, SubmitEventOp } from './operations.js';
import type { Contact } from './responses.js';

/** What Intercom answers for an event whose contact it does not know: C-RACE-2 waits for it. */
function leadNotFound(): IntercomHttpError {
  return new IntercomHttpError(
    { status: 404, errors: [{ code: 'not_found', message: 'User Not Found' }] },
    { method: 'POST', route: '/events' },
  );
}

/** A contact Intercom no longer has under this id (deleted, or merged away already). */
function isGone(error: unknown): boolean {
  return error instanceof IntercomHttpError && (error.status === 404 || error.status === 410);
}

/**
 * `POST /events` for a lead: by its Intercom id (found as in C-IDN-2, never created), as Intercom
 * finds leads by id only. No such contact yet is the 404 of C-RACE-2, so the track waits for it.
 */
export async function submitLeadEvent(context: ContactContext, op: SubmitEventOp): Promise<void> {
  const { email: _email, user_id: _userId, ...event } = op.event;
  const found = await withContact(context, op.identity, undefined, async (contact) => {
    await context.tally.call(() => context.client.submitEvent({ ...event, id: contact.id }));
  });
  if (found === undefined) throw leadNotFound();
}

/** Whether a contact is a lead that may be merged into the user `userId` (C-IDN-5). */
function isMergeableLead(contact: Contact, userId: string): boolean {
  return contact.id !== userId && contact.role === 'lead' && contact.external_id === undefined;
}

/**
 * The leads of `email` to merge into `userId`: those the email search finds, and the one remembered
 * for the email (the lead we created, which the search may not show yet: search lags creation).
 */
async function leadsOf(
  context: ContactContext,
  email: string,
  remembered: string | undefined,
  userId: string,
): Promise<string[]> {
  const found = await context.tally.call(() => context.client.searchContactsByEmail(email));
  const leads = found.filter((c) => isMergeableLead(c, userId)).map((c) => c.id);
  if (remembered === undefined || remembered === userId || found.some((c) => c.id === remembered))
    return leads;
  try {
    const contact = await context.tally.call(() => context.client.getContact(remembered));
    if (isMergeableLead(contact, userId)) leads.push(contact.id);
  } catch (error: unknown) {
    if (!isGone(error)) throw error;
    context.tally.note(`remembered contact ${remembered} is gone: nothing to merge from it`);
  }
  return leads;
}

/**
 * C-IDN-5: merges every lead carrying the identity's email into its user, then remembers the email as
 * the user's. Once that is remembered the operation costs no call. A lead already gone (merged or
 * deleted) counts as merged, so a retry after a partial run does no harm.
 */
export async function mergeLeads(context: ContactContext, op: MergeLeadOp): Promise<void> {
  const { externalId, email } = op.identity;
  const user = await resolveContact(context, { externalId, email }, {});
  if (user === undefined) {
    context.tally.note(`merge: user ${externalId} not found, no lead merged`);
    return;
  }
  const emailKey = contactKey(context.destinationId, 'email', email);
  const remembered = await context.idCache.getContactId(emailKey);
  if (remembered === user.id) return;
  for (const leadId of await leadsOf(context, email, remembered, user.id)) {
    try {
      await context.tally.call(() => context.client.mergeContacts(leadId, user.id));
      context.tally.note(`merged lead ${leadId} into user ${user.id}`);
    } catch (error: unknown) {
      if (!isGone(error)) throw error;
      context.tally.note(`lead ${leadId} is gone already: counted as merged`);
    }
  }
  await context.idCache.setContactId(emailKey, user.id);
}
