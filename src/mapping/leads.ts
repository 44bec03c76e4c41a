/**
 * C-IDN-5, the `contactRoleWithoutUserId` setting: with `lead`, a contact named by email only is a lead,
 * and an event that names both a userId and an email merges the leads of that email into the user.
 * With `user` (the default, Segment's behaviour) every contact is a user and nothing is merged.
 */
import type { ContactIdentity, MergeLeadOp } from '../intercom/operations.js';
import type { MappingSettings } from './settings.js';

/** The identity, marked as a lead's when it has no userId and the destination keeps such contacts as leads. */
export function withContactRole(identity: ContactIdentity, settings: MappingSettings): ContactIdentity {
  if (settings.contactRoleWithoutUserId !== 'lead' || identity.externalId !== undefined) return identity;
  return { ...identity, lead: true };
}

/** The merge of the email's leads into the user, when leads are on and the identity names both. */
export function leadMerges(identity: ContactIdentity, settings: MappingSettings): MergeLeadOp[] {
  const { externalId, email } = identity;
  if (settings.contactRoleWithoutUserId !== 'lead' || externalId === undefined || email === undefined)
    return [];
  return [{ kind: 'merge_lead', identity: { externalId, email } }];
}
