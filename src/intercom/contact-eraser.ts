import type { IntercomApi } from './api-calls.js';
import { type CallTally, createCallTally } from './call-tally.js';
import { type ContactContext, findByExternalId } from './contact-resolver.js';
import { IntercomError, IntercomHttpError } from './errors.js';
import { contactKey, type ContactKeyKind, type IdCache } from './id-cache.js';
import type { ExecutionOutcome } from './outcome.js';

/** Intercom follows merge chains of up to 3 hops (intercom-api.md §3.3); so does a deletion. */
const MAX_MERGE_HOPS = 3;

/** Who to erase: the contact with this external_id (a Segment `userId`), or every contact with this email. */
export interface ErasureIdentity {
  readonly kind: ContactKeyKind;
  readonly value: string;
}

/** What an erasure did: the outcome the delivery policy judges, and the contacts it deleted. */
export interface ErasureExecution {
  readonly outcome: ExecutionOutcome;
  /** Intercom ids of the contacts deleted now (none when there was none: "not found" is done). */
  readonly contactIds: readonly string[];
}

/** Deletes people's contacts from one Intercom workspace (L-4). */
export interface ContactEraser {
  /** Finds the contacts as C-IDN-2 does and deletes each; never throws for Intercom's answers. */
  erase(identity: ErasureIdentity): Promise<ErasureExecution>;
}

/** The workspace an eraser works on. */
export interface ContactEraserOptions {
  readonly client: IntercomApi;
  readonly idCache: IdCache;
  readonly destinationId: string;
}

/** Creates the eraser of one destination. */
export function createContactEraser(options: ContactEraserOptions): ContactEraser {
  return {
    async erase(identity) {
      const tally = createCallTally();
      const context: ContactContext = { ...options, tally };
      const deleted: string[] = [];
      try {
        await eraseAll(context, identity, deleted);
      } catch (error: unknown) {
        if (!(error instanceof IntercomError)) throw error;
        const failed: ExecutionOutcome = {
          kind: 'failed',
          operation: 'delete_contact',
          failure: error.toFailure(),
          ...totals(tally),
        };
        return { outcome: failed, contactIds: deleted };
      }
      return { outcome: { kind: 'delivered', ...totals(tally) }, contactIds: deleted };
    },
  };
}

function totals(tally: CallTally): Pick<ExecutionOutcome, 'calls' | 'notes' | 'rateLimit'> {
  return {
    calls: tally.calls,
    notes: [...tally.notes],
    ...(tally.rateLimit === undefined ? {} : { rateLimit: tally.rateLimit }),
  };
}

/**
 * By external_id: the cached id, else (or when that one is already gone) `find_by_external_id`. By
 * email: every contact the email search finds, users and leads (an email names everyone with that
 * address), plus the cached id, which also covers a contact created too recently for search to show.
 */
async function eraseAll(
  context: ContactContext,
  identity: ErasureIdentity,
  deleted: string[],
): Promise<void> {
  const key = contactKey(context.destinationId, identity.kind, identity.value);
  const cached = await context.idCache.getContactId(key);
  if (identity.kind === 'external_id') {
    if (cached !== undefined && (await deleteFollowingMerges(context, cached, deleted))) return;
    const found = await findByExternalId(context, identity.value);
    if (found !== undefined) await deleteFollowingMerges(context, found.id, deleted);
    return;
  }
  const matches = await context.tally.call(() => context.client.searchContactsByEmail(key.value));
  const ids = new Set([...(cached === undefined ? [] : [cached]), ...matches.map((contact) => contact.id)]);
  for (const id of ids) await deleteFollowingMerges(context, id, deleted);
}

/** `DELETE /contacts/{id}`, following a 410 to the merged-into contact; false when it was already gone. */
async function deleteFollowingMerges(
  context: ContactContext,
  contactId: string,
  deleted: string[],
): Promise<boolean> {
  let id = contactId;
  for (let hop = 0; ; hop += 1) {
    try {
      const gone = await context.tally.call(() => context.client.deleteContact(id));
      if (gone) deleted.push(id);
      else context.tally.note(`contact ${id} was already gone`);
      return gone;
    } catch (error: unknown) {
      const link = error instanceof IntercomHttpError && error.status === 410 ? error.link : undefined;
      if (link === undefined || hop >= MAX_MERGE_HOPS) throw error;
      context.tally.note(`followed merged contact to ${link.id}`);
      id = link.id;
    }
  }
}
