import type { ExecutionOutcome } from '../../intercom/outcome.js';
import type { DeliverPlan } from '../../intercom/operations.js';
import type { AttemptRecord, ClaimedJob } from '../store/job.js';
import type { AttemptContext } from './attempt-context.js';
import type { DeliveryTarget } from './delivery-target.js';
import { logFailedAttempt, logLaneRecovered } from './failure-log.js';
import type { Decision } from './policy.js';

/** One executed attempt and the policy's decision about it. */
export interface DecidedAttempt {
  readonly job: ClaimedJob;
  /** The plan attempted; absent for a deletion (L-4), which has no plan and never becomes a dead letter. */
  readonly plan?: DeliverPlan;
  readonly outcome: ExecutionOutcome;
  readonly decision: Decision;
  readonly record: AttemptRecord;
  readonly target: DeliveryTarget;
}

/**
 * The attempt as stored: Intercom's answer and the L-1 class, never the request (which may hold
 * personal data), and the plan's mapping warnings (field names and reasons only).
 */
export function toRecord(
  outcome: ExecutionOutcome,
  decision: Decision,
  atMs: number,
  warnings: DeliverPlan['warnings'] = [],
): AttemptRecord {
  const counted = decision.kind !== 'rate_limited' && decision.kind !== 'paused';
  const base = {
    atMs,
    decision: decision.kind,
    counted,
    calls: outcome.calls,
    notes: outcome.notes,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  if (outcome.kind !== 'failed') return base;
  return {
    ...base,
    failure: outcome.failure,
    ...(decision.kind === 'done' ? {} : { failureClass: decision.failureClass }),
  };
}

/** Reports a finished attempt to the worker's `onSettled` hook (metrics). */
export function settled(
  context: AttemptContext,
  job: ClaimedJob,
  record: AttemptRecord,
  startedAtMs: number,
): void {
  context.options.onSettled?.({ job, record, durationMs: record.atMs - startedAtMs });
}

/**
 * Writes a decision to the store (the job completed, retried, parked, dead, or its workspace paused)
 * and logs a failed attempt (L-2).
 */
export async function recordDecision(context: AttemptContext, attempt: DecidedAttempt): Promise<void> {
  const { store } = context.options;
  const { job, outcome, decision, record } = attempt;
  const now = record.atMs;
  const rateLimit = outcome.rateLimit;
  if (decision.kind !== 'rate_limited' && rateLimit !== undefined && rateLimit.remaining <= 0) {
    // The window's budget is spent: wait for its reset instead of collecting a 429 (decision 5).
    const untilMs = Math.min(rateLimit.resetAtSeconds * 1000, now + context.policy.rateLimitMaxPauseMs);
    if (untilMs > now)
      await store.pauseDestination(job.destinationId, untilMs, 'rate_limit_budget_spent', now);
  }
  await writeDecision(context, attempt);
  if (decision.kind === 'done') logLaneRecovered(context, job);
  else logFailedAttempt(context, job, decision, record.failure, now);
}

/** The store's side of a decision. */
async function writeDecision(context: AttemptContext, attempt: DecidedAttempt): Promise<void> {
  const { store } = context.options;
  const { job, plan, decision, record, target } = attempt;
  const now = record.atMs;
  switch (decision.kind) {
    case 'done':
      await store.complete(job, record);
      return;
    case 'retry':
      await store.reschedule(job, decision.atMs, record, { countsAsAttempt: true });
      return;
    case 'parked':
      await store.park(job, decision.atMs, record);
      return;
    case 'rate_limited':
      await store.pauseDestination(job.destinationId, decision.untilMs, 'rate_limited', now);
      await store.reschedule(job, decision.untilMs, record, { countsAsAttempt: false });
      return;
    case 'paused': {
      // Without a probe the next job is the probe: pause for one probe interval only.
      const untilMs = target.probe === undefined ? now + context.probeIntervalMs : undefined;
      await store.pauseDestination(job.destinationId, untilMs, decision.reason, now);
      await store.reschedule(job, now, record, { countsAsAttempt: false });
      return;
    }
    case 'dead': {
      const { kind: _kind, failureClass: _class, ...death } = decision;
      await store.kill(job, plan === undefined ? death : { ...death, plan }, record, now);
      return;
    }
  }
}
