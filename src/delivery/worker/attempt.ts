import type { ExecutionOutcome } from '../../intercom/outcome.js';
import type { DeliverPlan, Plan } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { AttemptRecord, ClaimedEventJob, ClaimedJob } from '../store/job.js';
import {
  type CoalescibleEvent,
  canCoalesce,
  coalesceEvents,
  isCoalescible,
  MAX_COALESCED_JOBS,
} from './coalesce.js';
import type { DeliveryTarget } from './delivery-target.js';
import type { AttemptContext } from './attempt-context.js';
import { attemptErasure } from './erasure-attempt.js';
import { leadLaneWait } from './lead-lanes.js';
import { logFailedAttempt, logLaneRecovered } from './failure-log.js';
import { decide } from './policy.js';
import { plannedCalls } from './rate-pacer.js';
import { isOlderThanDelivered } from './older-than-delivered.js';
import { recordDecision, settled, toRecord } from './settle.js';
import { errorName } from './worker-options.js';

/** Carries out one claimed job: maps it, executes the plan, and records what the policy decides. */
export async function attemptJob(context: AttemptContext, job: ClaimedJob): Promise<void> {
  const { store, destinations, clock } = context.options;
  const startedAtMs = clock.now();
  const target = destinations(job.destinationId);
  if (context.isStopping()) {
    await store.release(job);
    return;
  }
  if (target === undefined) {
    // A config change removed the destination: hold its jobs (never drop them) and look again later.
    const untilMs = startedAtMs + context.probeIntervalMs;
    await store.pauseDestination(job.destinationId, untilMs, 'not_configured', startedAtMs);
    await store.release(job);
    context.logger.warn(
      { destinationId: job.destinationId },
      'jobs for an unconfigured destination are held',
    );
    return;
  }
  if (job.kind === 'deletion') {
    await attemptErasure(context, job, target, startedAtMs);
    return;
  }
  if (await isOlderThanDelivered(store, job)) {
    // L-5: a replayed identify older than the attributes already delivered would roll them back.
    const record: AttemptRecord = {
      atMs: clock.now(),
      decision: 'skipped',
      counted: false,
      calls: 0,
      skipReason: 'older_than_delivered',
    };
    await store.complete(job, record);
    settled(context, job, record, startedAtMs);
    return;
  }
  const followers = await claimFollowers(context, job, target);
  for (const follower of followers) context.followerSeqs.add(follower.seq);
  let completed: AttemptRecord | undefined;
  try {
    completed = await deliver(context, job, followers, target, startedAtMs);
  } finally {
    await finishFollowers(context, job, followers, completed, startedAtMs);
    for (const follower of followers) context.followerSeqs.delete(follower.seq);
  }
}

/**
 * With the bulk API setting, leases the identifies (or same-company groups) right behind the head of
 * its lane so they go out as one call; none when the head is not such an event.
 */
async function claimFollowers(
  { options }: AttemptContext,
  job: ClaimedEventJob,
  target: DeliveryTarget,
): Promise<readonly ClaimedJob[]> {
  const head = job.event;
  if (target.coalesce !== true || !isCoalescible(head)) return [];
  const accepts = (event: SegmentEvent): boolean => canCoalesce(head, event);
  return options.store.claimFollowers(job, MAX_COALESCED_JOBS - 1, accepts, options.clock.now());
}

/** Merged jobs finish with their head when it was delivered or skipped, and are given back otherwise. */
async function finishFollowers(
  context: AttemptContext,
  head: ClaimedJob,
  followers: readonly ClaimedJob[],
  completed: AttemptRecord | undefined,
  startedAtMs: number,
): Promise<void> {
  const { store } = context.options;
  for (const follower of followers) {
    if (completed === undefined) {
      await store.release(follower);
      continue;
    }
    const record: AttemptRecord = { ...completed, calls: 0, notes: [`coalesced into job ${head.seq}`] };
    await store.complete(follower, record);
    settled(context, follower, record, startedAtMs);
  }
}

/** Maps, paces, executes and records one job (with its merged followers); the record when it completed. */
async function deliver(
  context: AttemptContext,
  job: ClaimedEventJob,
  followers: readonly ClaimedJob[],
  target: DeliveryTarget,
  startedAtMs: number,
): Promise<AttemptRecord | undefined> {
  const { store, clock, pacer, random } = context.options;
  const plan = await planOrFinish(context, job, mergedEvent(job, followers), target, startedAtMs);
  if (plan.kind !== 'deliver') return plan.kind === 'skipped' ? plan.record : undefined;
  // Merged identifies (isBulkAPIEnabled) wait for what came before the last of them.
  const lastSeq = followers.reduce((last, follower) => Math.max(last, follower.seq), job.seq);
  const wait = await leadLaneWait(store, { job, lastSeq }, plan.plan, startedAtMs);
  if (wait !== undefined) {
    // C-IDN-5: the lead's earlier events go first; the job keeps the head of its lane meanwhile.
    await store.reschedule(job, wait.untilMs, wait.record, { countsAsAttempt: false });
    settled(context, job, wait.record, startedAtMs);
    return undefined;
  }
  const calls = plannedCalls(plan.plan.operations);
  const admission = pacer?.admit(job.destinationId, calls, startedAtMs, job.replayed ? 'replay' : 'live');
  if (admission?.kind === 'wait') {
    // The window's budget is spent: hold the whole workspace until its reset instead of collecting 429s.
    // A replay's share spent (L-5) holds only replayed jobs: the pacer keeps them out of the next claims.
    if (admission.scope === 'workspace') {
      await store.pauseDestination(job.destinationId, admission.untilMs, 'rate_limit_paced', startedAtMs);
    }
    await store.release(job);
    return undefined;
  }
  const outcome = await execute(target, plan.plan);
  const now = clock.now();
  if (admission !== undefined) pacer?.settle(admission.ticket, outcome.calls, outcome.rateLimit, now);
  const state = { attempt: job.attempts + 1, firstAttemptAtMs: job.firstAttemptAtMs ?? startedAtMs };
  const policy =
    target.retryHorizonMs === undefined
      ? context.policy
      : { ...context.policy, retryHorizonMs: target.retryHorizonMs };
  const decision = decide(outcome, state, now, random, policy);
  const record = toRecord(outcome, decision, now, plan.plan.warnings);
  await recordDecision(context, { job, plan: plan.plan, outcome, decision, record, target });
  if (decision.kind === 'done') await context.eventNames.count(job.destinationId, plan.plan.operations, now);
  settled(context, job, record, startedAtMs);
  return decision.kind === 'done' ? record : undefined;
}

type Mapped =
  | { readonly kind: 'deliver'; readonly plan: DeliverPlan }
  | { readonly kind: 'skipped'; readonly record: AttemptRecord }
  | { readonly kind: 'dead' };

/** The plan to deliver; a skip is completed and a mapping failure dead-lettered here. */
async function planOrFinish(
  context: AttemptContext,
  job: ClaimedJob,
  event: SegmentEvent,
  target: DeliveryTarget,
  startedAtMs: number,
): Promise<Mapped> {
  const { store, clock } = context.options;
  let plan: Plan;
  try {
    plan = target.map(event);
  } catch (error: unknown) {
    const record: AttemptRecord = {
      atMs: clock.now(),
      decision: 'dead',
      counted: true,
      calls: 0,
      failureClass: 'permanent',
    };
    const message = errorName(error);
    await store.kill(job, { reason: 'mapping_failed', message }, record, record.atMs);
    const decision = { kind: 'dead', reason: 'mapping_failed', failureClass: 'permanent', message } as const;
    logFailedAttempt(context, job, decision, undefined, record.atMs);
    settled(context, job, record, startedAtMs);
    return { kind: 'dead' };
  }
  if (plan.kind === 'deliver') return { kind: 'deliver', plan };
  const record: AttemptRecord = {
    atMs: clock.now(),
    decision: 'skipped',
    counted: false,
    calls: 0,
    skipReason: plan.reason,
  };
  await store.complete(job, record);
  logLaneRecovered(context, job);
  settled(context, job, record, startedAtMs);
  return { kind: 'skipped', record };
}

async function execute(target: DeliveryTarget, plan: DeliverPlan): Promise<ExecutionOutcome> {
  try {
    return await target.execute(plan);
  } catch (error: unknown) {
    // The executor reports failures as values; a throw is a bug, handled like a connection error.
    return {
      kind: 'failed',
      calls: 0,
      operation: plan.operations[0]?.kind ?? 'upsert_contact',
      failure: { kind: 'network', message: `executor threw ${errorName(error)}` },
      notes: [],
    };
  }
}

/** The head's event, or the head and its followers merged into one (they passed `canCoalesce`). */
function mergedEvent(head: ClaimedEventJob, followers: readonly ClaimedJob[]): SegmentEvent {
  const first = head.event;
  if (followers.length === 0 || !isCoalescible(first)) return head.event;
  const rest = followers
    .flatMap((f) => (f.kind === 'event' ? [f.event] : []))
    .filter((e): e is CoalescibleEvent => isCoalescible(e));
  return coalesceEvents<CoalescibleEvent>([first, ...rest]);
}
