import type { ErasureExecution, ErasureIdentity } from '../../intercom/contact-eraser.js';
import type { ErasureKey } from '../store/erasures.js';
import type { AttemptRecord, ClaimedDeletionJob } from '../store/job.js';
import type { AttemptContext } from './attempt-context.js';
import type { DeliveryTarget } from './delivery-target.js';
import { decide } from './policy.js';
import { recordDecision, settled, toRecord } from './settle.js';
import { errorName } from './worker-options.js';

/** Calls an erasure reserves in the rate window: a lookup and a deletion, and one for a merged contact. */
const ERASURE_CALLS = 3;

/** The contact identity of an erasure key: a userId is Intercom's external_id. */
function identityOf(key: ErasureKey): ErasureIdentity {
  return { kind: key.kind === 'user_id' ? 'external_id' : 'email', value: key.value };
}

/** The eraser's answer, or a failure like a lost connection when it threw (a bug, as in `execute`). */
async function erase(target: DeliveryTarget, key: ErasureKey): Promise<ErasureExecution> {
  if (target.erase === undefined) {
    const failure = { kind: 'http' as const, status: 501, message: 'this destination cannot erase' };
    const outcome = {
      kind: 'failed' as const,
      calls: 0,
      operation: 'delete_contact' as const,
      failure,
      notes: [],
    };
    return { outcome, contactIds: [] };
  }
  try {
    return await target.erase(identityOf(key));
  } catch (error: unknown) {
    const failure = { kind: 'network' as const, message: `eraser threw ${errorName(error)}` };
    const outcome = {
      kind: 'failed' as const,
      calls: 0,
      operation: 'delete_contact' as const,
      failure,
      notes: [],
    };
    return { outcome, contactIds: [] };
  }
}

/**
 * Carries out a deletion job (L-4): purges what is queued ahead of it and the lane's dead letters,
 * deletes the contacts in Intercom, and finishes the job, its audit row and the id cache in one
 * transaction. Every step is idempotent, so a crash anywhere means the job runs again from the start
 * and ends the same way ("not found" counts as done). Rate limits, 5xx and a rejected token are decided
 * by the same policy as deliveries; a permanent refusal fails the erasure (never a dead letter, which
 * would keep the key).
 */
export async function attemptErasure(
  context: AttemptContext,
  job: ClaimedDeletionJob,
  target: DeliveryTarget,
  startedAtMs: number,
): Promise<void> {
  const { store, clock, pacer, random } = context.options;
  const admission = pacer?.admit(job.destinationId, ERASURE_CALLS, startedAtMs, 'live');
  if (admission?.kind === 'wait') {
    await store.pauseDestination(job.destinationId, admission.untilMs, 'rate_limit_paced', startedAtMs);
    await store.release(job);
    return;
  }
  await store.purgeErasedLane(job);
  const { outcome, contactIds } = await erase(target, job.erasure.key);
  const now = clock.now();
  if (admission !== undefined) pacer?.settle(admission.ticket, outcome.calls, outcome.rateLimit, now);
  const state = { attempt: job.attempts + 1, firstAttemptAtMs: job.firstAttemptAtMs ?? startedAtMs };
  const decision = decide(outcome, state, now, random, context.policy);
  const record: AttemptRecord = toRecord(outcome, decision, now);
  const log = { destinationId: job.destinationId, deletionId: job.erasure.deletionId };
  if (decision.kind === 'done') {
    await store.finishErasure(job, record, { status: 'done', contactIds });
    context.logger.info({ ...log, contactsDeleted: contactIds.length }, 'erasure done');
  } else if (decision.kind === 'dead') {
    const error = [decision.reason, decision.status, decision.code].filter((part) => part !== undefined);
    await store.finishErasure(job, record, { status: 'failed', error: error.join(' ') });
    context.logger.warn({ ...log, reason: decision.reason, code: decision.code }, 'erasure failed');
  } else {
    await recordDecision(context, { job, outcome, decision, record, target });
  }
  settled(context, job, record, startedAtMs);
}
