/**
 * C-IDN-5, order across a lead merge: a lead's email-only events travel in the email's lane, the
 * user's in the userId's lane (C-RACE-1). A job whose plan merges the email's leads into the user
 * first waits, at the head of its own lane, until every pending email-only job of that destination
 * received before it has been delivered (parked ones wait for their lead and do not hold it up), so
 * the lead holds all of them when it is merged.
 */
import type { DeliverPlan } from '../../intercom/operations.js';
import { emailOrderingKey } from '../../segment/ordering-key.js';
import type { AttemptRecord, ClaimedJob, LaneRef } from '../store/job.js';
import type { LaneClaims } from '../store/lane-claims.js';

/** The first wait; it doubles while the other lane is still busy, up to the longest. */
export const LEAD_LANE_FIRST_WAIT_MS = 250;
/** The longest wait between two looks at a lane that is not moving (a retrying email-only job). */
export const LEAD_LANE_MAX_WAIT_MS = 30_000;

/** The email lanes a plan's lead merges wait for (none without `merge_lead`). */
export function leadLanes(job: ClaimedJob, plan: DeliverPlan): LaneRef[] {
  return plan.operations.flatMap((op) =>
    op.kind === 'merge_lead'
      ? [{ destinationId: job.destinationId, laneKey: emailOrderingKey(op.identity.email) }]
      : [],
  );
}

/** How long to wait this time: doubling with each wait in a row already in the job's history. */
export function leadLaneWaitMs(job: ClaimedJob): number {
  let waits = 0;
  for (let i = job.history.length - 1; i >= 0 && job.history[i]?.decision === 'waiting'; i -= 1) waits += 1;
  return Math.min(LEAD_LANE_FIRST_WAIT_MS * 2 ** Math.min(waits, 16), LEAD_LANE_MAX_WAIT_MS);
}

/**
 * The record of a wait when the plan's lead lanes still have pending jobs received before `lastSeq`
 * (the job's own seq, or that of the last job merged into it), else `undefined` (nothing to wait
 * for: deliver now). The caller reschedules the job with it, not counted as an attempt.
 */
export async function leadLaneWait(
  store: Pick<LaneClaims, 'pendingBefore'>,
  { job, lastSeq }: { readonly job: ClaimedJob; readonly lastSeq: number },
  plan: DeliverPlan,
  nowMs: number,
): Promise<{ readonly record: AttemptRecord; readonly untilMs: number } | undefined> {
  for (const lane of leadLanes(job, plan)) {
    const pending = await store.pendingBefore(lane, lastSeq);
    if (pending === 0) continue;
    const note = `waiting for ${pending} earlier email-only job${pending === 1 ? '' : 's'} before merging the lead (C-IDN-5)`;
    const record: AttemptRecord = {
      atMs: nowMs,
      decision: 'waiting',
      counted: false,
      calls: 0,
      notes: [note],
    };
    return { record, untilMs: nowMs + leadLaneWaitMs(job) };
  }
  return undefined;
}
