import type { ContactUpdates } from '../store/contact-updates.js';
import type { ClaimedEventJob } from '../store/job.js';

/**
 * L-5: whether a replayed identify is older than the newest identify already delivered for its user
 * (live or replayed). Sending it would set the contact's attributes back to older values, so the worker
 * skips it (`older_than_delivered`). Live identifies are always sent: live traffic keeps arrival order
 * (C-RACE-1), as Segment's destinations do.
 */
export async function isOlderThanDelivered(store: ContactUpdates, job: ClaimedEventJob): Promise<boolean> {
  if (!job.replayed || job.event.type !== 'identify') return false;
  const eventMs = Date.parse(job.event.timestamp);
  if (Number.isNaN(eventMs)) return false;
  const lastMs = await store.lastContactUpdateMs(job);
  return lastMs !== undefined && eventMs < lastMs;
}
