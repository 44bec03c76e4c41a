/**
 * group → company, plus the user's membership and last seen (C-GR-1..3).
 *
 * | Intercom field (`POST /companies`) | from                                            | rule   |
 * |------------------------------------|-------------------------------------------------|--------|
 * | `company_id`                       | `groupId`                                       | C-GR-1 |
 * | `name`, `plan`, `website`, `industry` | the traits of the same name                  | C-GR-1 |
 * | `monthly_spend`                    | `monthlySpend` ?? `monthly_spend`, truncated    | C-GR-1 |
 * | `size`                             | `size` ?? `employees`, truncated                | C-GR-1 |
 * | `remote_created_at`                | `createdAt` ?? `created_at` → Unix seconds      | C-GR-1 |
 * | `custom_attributes`                | other scalar traits                             | C-GR-1 |
 * | contact `last_seen_at`             | `timestamp`, unless `context.active` = false    | C-GR-3 |
 *
 * The user is `userId`, else `context.traits.email` (C-IDN-1); a group without a user still upserts
 * the company, because the company is the call's subject.
 */
import type { GroupEvent } from '../segment/event.js';
import type { MappingWarning, Operation, Plan } from '../intercom/operations.js';
import type { MappingSettings } from './settings.js';
import { toUnixSeconds } from './dates.js';
import { mapCompany } from './company.js';
import { companyWarnings } from './trait-warnings.js';
import { leadMerges, withContactRole } from './leads.js';
import { contactIdentity, identityFields, nonBlank } from './identity.js';
import { isActive, objectOrEmpty, pathValue } from './event-context.js';

/**
 * Maps a group. Order: `upsert_company` (the call's subject, needs no user), then `upsert_contact`
 * (resolves or creates the contact and sets last seen, C-GR-3), then `attach_company`, which needs
 * the Intercom ids of both, then with leads on the merge of the email's leads into the user (C-IDN-5).
 */
export function mapGroup(event: GroupEvent, settings: MappingSettings): Plan {
  const groupId = nonBlank(event.groupId);
  if (groupId === undefined) return { kind: 'skip', reason: 'invalid_event', detail: 'group has no groupId' };
  const mapped = mapCompany(objectOrEmpty(event.traits), { companyId: groupId, field: 'traits' });
  if (mapped.kind === 'skip') {
    // Unreachable with a groupId, but a skip is a value here, never an exception.
    return { kind: 'skip', reason: 'invalid_event', detail: mapped.warning.detail };
  }
  const traits = objectOrEmpty(event.traits);
  const warnings: MappingWarning[] = [
    ...mapped.warnings,
    ...companyWarnings(traits, mapped.company, 'traits'),
  ];
  if (traits['remove'] === true) {
    // C-ID-11's detach is for an identify's companies: a group is about its company and upserts it.
    warnings.push({
      code: 'ignored_trait',
      field: 'traits.remove',
      detail: 'a group always upserts its company',
    });
  }
  const operations: Operation[] = [
    {
      kind: 'upsert_company',
      company: mapped.company,
      attributeTypes: settings.createMissingAttributes ? mapped.attributeTypes : {},
    },
  ];
  const named = contactIdentity(event.userId, [pathValue(event.context, ['traits', 'email'])]);
  if (named !== undefined) {
    const identity = withContactRole(named, settings);
    const lastSeen = isActive(objectOrEmpty(event.context)) ? toUnixSeconds(event.timestamp) : undefined;
    if (lastSeen !== undefined) {
      operations.push({
        kind: 'upsert_contact',
        identity,
        fields: identityFields(identity, lastSeen),
        attributeTypes: {},
      });
    }
    operations.push(
      { kind: 'attach_company', identity, companyId: groupId },
      ...leadMerges(identity, settings),
    );
  }
  return { kind: 'deliver', operations, warnings };
}
