import { setTimeout as sleepFor } from 'node:timers/promises';
import type { ExecutionOutcome } from '../../intercom/outcome.js';
import type { Clock } from '../../clock/clock.js';
import type { DeliverPlan, Plan } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { AttemptRecord, ClaimedJob, JobStore } from '../store/job-store.js';
import type { Decision, DeliveryPolicy } from './policy.js';
import { DEFAULT_DELIVERY_POLICY, decide } from './policy.js';
import type { CoalescibleEvent } from './coalesce.js';
import { canCoalesce, coalesceEvents, isCoalescible, MAX_COALESCED_JOBS } from './coalesce.js';
import type { EventNameTally } from './event-name-tally.js';
import { createEventNameTally } from './event-name-tally.js';
import type { RatePacer } from './rate-pacer.js';
import { plannedCalls } from './rate-pacer.js';

/** What the worker needs of one configured destination (mapping and executor bound to its settings). */
export interface DeliveryTarget {
  /** Pure mapping (`mapEvent` with this destination's settings). */
  map(event: SegmentEvent): Plan;
  /** Carries out a plan against Intercom; failures are values, never thrown. */
  execute(plan: DeliverPlan): Promise<ExecutionOutcome>;
  /** Whether the credentials work again (e.g. `GET /me`); used to resume after a 401/403 pause. */
  probe?(): Promise<boolean>;
  /** `isBulkAPIEnabled`: adjacent identifies of one user (or groups of one company) go out as one call. */
  readonly coalesce?: boolean;
}

/** Finds a destination by id; undefined when it is not configured (any more). */
export type DeliveryTargets = (destinationId: string) => DeliveryTarget | undefined;

/** The subset of a pino logger the worker uses. */
export interface WorkerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Reported once per attempt, for metrics. */
export interface SettledAttempt {
  readonly job: ClaimedJob;
  readonly record: AttemptRecord;
  readonly durationMs: number;
}

/** Construction options of a `DeliveryWorker`. */
export interface DeliveryWorkerOptions {
  readonly store: JobStore;
  readonly destinations: DeliveryTargets;
  readonly clock: Clock;
  readonly random: () => number;
  readonly workerId: string;
  /**
   * The destinations this worker claims jobs for (those `destinations` knows); all when absent. With
   * it, another process's destination is left to that process; without it, a job of an unknown
   * destination is claimed, and its destination paused for everyone (`not_configured`) and probed later.
   */
  readonly destinationIds?: readonly string[];
  /** Lanes delivered in parallel (one job per lane at a time). */
  readonly concurrency: number;
  readonly leaseMs: number;
  /** Idle wait between claims when there is nothing to do. */
  readonly pollMs: number;
  /** How often a destination paused by a rejected token is probed (default 60 s). */
  readonly probeIntervalMs?: number;
  /** Dedupe receipts older than this are forgotten (default 7 days). */
  readonly receiptRetentionMs?: number;
  readonly policy?: DeliveryPolicy;
  /** Proactive pacing per workspace from `X-RateLimit-*` (issue #5); without it only 429s slow delivery. */
  readonly pacer?: RatePacer;
  readonly logger?: WorkerLogger;
  readonly onSettled?: (attempt: SettledAttempt) => void;
  /** Waits `ms` or until `signal` aborts, whichever is first; injected so tests need no real time. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const silentLogger: WorkerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function realSleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleepFor(ms, undefined, { signal });
  } catch (error: unknown) {
    // An abort is the normal way to wake the loop early; anything else is a real failure.
    if (!signal.aborted) throw error;
  }
}

/**
 * The delivery loop: claims lane heads, maps each event, executes the plan, asks the pure policy what
 * happens next and records it. Different lanes run in parallel; the store hands out one job per lane.
 */
export class DeliveryWorker {
  readonly #options: DeliveryWorkerOptions;
  readonly #policy: DeliveryPolicy;
  readonly #logger: WorkerLogger;
  readonly #probeIntervalMs: number;
  readonly #receiptRetentionMs: number;
  readonly #inFlight = new Map<number, Promise<void>>();
  /** Jobs merged into an in-flight head: their leases are renewed with it. */
  readonly #followerSeqs = new Set<number>();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #probing: Promise<void> | undefined;
  #wake = new AbortController();
  #nextProbeAtMs = 0;
  #nextRenewAtMs = 0;
  #nextPruneAtMs = 0;
  readonly #eventNames: EventNameTally;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    this.#policy = options.policy ?? DEFAULT_DELIVERY_POLICY;
    this.#logger = options.logger ?? silentLogger;
    this.#probeIntervalMs = options.probeIntervalMs ?? 60_000;
    this.#receiptRetentionMs = options.receiptRetentionMs ?? 7 * 24 * 60 * 60_000;
    this.#eventNames = createEventNameTally(options.store, this.#logger);
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.#loop !== undefined || this.#stopping) return;
    this.#loop = this.#run();
  }

  /** Graceful shutdown: stops claiming, waits for in-flight calls, gives back any lease still held. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake.abort();
    await this.#loop;
    await Promise.all([...this.#inFlight.values(), this.#probing]);
    await this.#options.store.releaseWorker(this.#options.workerId);
  }

  /** One round for tests and tools: housekeeping, one claim, and every claimed job carried out. */
  async runOnce(): Promise<number> {
    await this.#housekeeping();
    await this.#probing;
    const claimed = await this.#claim();
    await Promise.all(this.#inFlight.values());
    return claimed;
  }

  /** Probes destinations paused by a rejected token and resumes those whose probe succeeds. */
  async probePaused(): Promise<number> {
    const { store, destinations, clock } = this.#options;
    let resumed = 0;
    for (const pause of await store.pausedDestinations(clock.now())) {
      if (pause.untilMs !== undefined) continue;
      const target = destinations(pause.destinationId);
      if (target?.probe === undefined) continue;
      const ok = await target.probe().catch((error: unknown) => {
        this.#logger.warn({ destinationId: pause.destinationId, error: errorName(error) }, 'probe failed');
        return false;
      });
      if (!ok) continue;
      await store.resumeDestination(pause.destinationId);
      this.#logger.info(
        { destinationId: pause.destinationId },
        'destination resumed after a successful probe',
      );
      resumed += 1;
    }
    return resumed;
  }

  async #run(): Promise<void> {
    const sleep = this.#options.sleep ?? realSleep;
    while (!this.#stopping) {
      let claimed = 0;
      try {
        await this.#housekeeping();
        claimed = await this.#claim();
      } catch (error: unknown) {
        this.#logger.error({ error: errorName(error) }, 'delivery loop: store failure');
      }
      const full = this.#inFlight.size >= this.#options.concurrency;
      if (claimed > 0 && !full) continue;
      if (this.#wake.signal.aborted) {
        // A job finished while we were claiming: its slot (and maybe its lane's next job) is free now.
        this.#wake = new AbortController();
        continue;
      }
      // Renew leases in time even when polling slowly.
      const idleMs =
        this.#inFlight.size > 0
          ? Math.min(this.#options.pollMs, this.#options.leaseMs / 3)
          : this.#options.pollMs;
      await sleep(idleMs, this.#wake.signal);
    }
  }

  /** Claims as many lane heads as there are free slots and starts them; resolves to how many. */
  async #claim(): Promise<number> {
    const { store, workerId, leaseMs, concurrency, clock, destinationIds } = this.#options;
    const limit = concurrency - this.#inFlight.size;
    if (limit <= 0 || this.#stopping) return 0;
    const jobs = await store.claim({
      workerId,
      limit,
      leaseMs,
      now: clock.now(),
      ...(destinationIds === undefined ? {} : { destinationIds }),
    });
    for (const job of jobs) {
      const run = this.#process(job)
        .catch((error: unknown) => {
          // The lease expires and another round retries the job: at-least-once, never lost.
          this.#logger.error(
            { seq: job.seq, destinationId: job.destinationId, error: errorName(error) },
            'job failed',
          );
        })
        .finally(() => {
          this.#inFlight.delete(job.seq);
          this.#wake.abort();
        });
      this.#inFlight.set(job.seq, run);
    }
    return jobs.length;
  }

  async #housekeeping(): Promise<void> {
    const { store, clock, workerId, leaseMs } = this.#options;
    const now = clock.now();
    if (this.#inFlight.size > 0 && now >= this.#nextRenewAtMs) {
      this.#nextRenewAtMs = now + leaseMs / 3;
      await store.renewLeases(workerId, [...this.#inFlight.keys(), ...this.#followerSeqs], now + leaseMs);
    }
    if (now >= this.#nextProbeAtMs && this.#probing === undefined) {
      this.#nextProbeAtMs = now + this.#probeIntervalMs;
      // In the background: a probe waiting on a dead network must not hold up other destinations.
      this.#probing = this.probePaused()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.#logger.error({ error: errorName(error) }, 'probing paused destinations failed');
        })
        .finally(() => {
          this.#probing = undefined;
        });
    }
    if (now >= this.#nextPruneAtMs) {
      this.#nextPruneAtMs = now + 60 * 60_000;
      await store.pruneReceipts(now - this.#receiptRetentionMs);
    }
  }

  async #process(job: ClaimedJob): Promise<void> {
    const { store, destinations, clock } = this.#options;
    const startedAtMs = clock.now();
    const target = destinations(job.destinationId);
    if (this.#stopping) {
      await store.release(job);
      return;
    }
    if (target === undefined) {
      // A config change removed the destination: hold its jobs (never drop them) and look again later.
      await store.pauseDestination(
        job.destinationId,
        startedAtMs + this.#probeIntervalMs,
        'not_configured',
        startedAtMs,
      );
      await store.release(job);
      this.#logger.warn(
        { destinationId: job.destinationId },
        'jobs for an unconfigured destination are held',
      );
      return;
    }
    const followers = await this.#claimFollowers(job, target);
    for (const follower of followers) this.#followerSeqs.add(follower.seq);
    let completed: AttemptRecord | undefined;
    try {
      completed = await this.#deliver(job, followers, target, startedAtMs);
    } finally {
      await this.#finishFollowers(job, followers, completed, startedAtMs);
      for (const follower of followers) this.#followerSeqs.delete(follower.seq);
    }
  }

  /**
   * With the bulk API setting, leases the identifies (or same-company groups) right behind the head of
   * its lane so they go out as one call; none when the head is not such an event.
   */
  async #claimFollowers(job: ClaimedJob, target: DeliveryTarget): Promise<readonly ClaimedJob[]> {
    const { store, clock } = this.#options;
    const head = job.event;
    if (target.coalesce !== true || store.claimFollowers === undefined || !isCoalescible(head)) return [];
    return store.claimFollowers(
      job,
      MAX_COALESCED_JOBS - 1,
      (event) => canCoalesce(head, event),
      clock.now(),
    );
  }

  /** Merged jobs finish with their head when it was delivered or skipped, and are given back otherwise. */
  async #finishFollowers(
    head: ClaimedJob,
    followers: readonly ClaimedJob[],
    completed: AttemptRecord | undefined,
    startedAtMs: number,
  ): Promise<void> {
    const { store } = this.#options;
    for (const follower of followers) {
      if (completed === undefined) {
        await store.release(follower);
        continue;
      }
      const record: AttemptRecord = {
        ...completed,
        calls: 0,
        notes: [`coalesced into job ${head.seq}`],
      };
      await store.complete(follower, record);
      this.#settled(follower, record, startedAtMs);
    }
  }

  /** Maps, paces, executes and records one job (with its merged followers); the record when it completed. */
  async #deliver(
    job: ClaimedJob,
    followers: readonly ClaimedJob[],
    target: DeliveryTarget,
    startedAtMs: number,
  ): Promise<AttemptRecord | undefined> {
    const { store, clock } = this.#options;
    const event = mergedEvent(job, followers);
    let plan: Plan;
    try {
      plan = target.map(event);
    } catch (error: unknown) {
      const record: AttemptRecord = { atMs: clock.now(), decision: 'dead', counted: true, calls: 0 };
      await store.kill(job, { reason: 'mapping_failed', message: errorName(error) }, record, record.atMs);
      this.#settled(job, record, startedAtMs);
      return undefined;
    }
    if (plan.kind === 'skip') {
      const record: AttemptRecord = {
        atMs: clock.now(),
        decision: 'skipped',
        counted: false,
        calls: 0,
        skipReason: plan.reason,
      };
      await store.complete(job, record);
      this.#settled(job, record, startedAtMs);
      return record;
    }
    const pacer = this.#options.pacer;
    const admission = pacer?.admit(job.destinationId, plannedCalls(plan.operations), startedAtMs);
    if (admission?.kind === 'wait') {
      // The window's budget is spent: hold the whole workspace until its reset instead of collecting 429s.
      await store.pauseDestination(job.destinationId, admission.untilMs, 'rate_limit_paced', startedAtMs);
      await store.release(job);
      return undefined;
    }
    const outcome = await this.#execute(target, plan);
    const now = clock.now();
    if (admission !== undefined) pacer?.settle(admission.ticket, outcome.calls, outcome.rateLimit, now);
    const state = { attempt: job.attempts + 1, firstAttemptAtMs: job.firstAttemptAtMs ?? startedAtMs };
    const decision = decide(outcome, state, now, this.#options.random, this.#policy);
    const record = toRecord(outcome, decision, now);
    await this.#record(job, plan, outcome, decision, record, target);
    if (decision.kind === 'done') await this.#eventNames.count(job.destinationId, plan.operations, now);
    this.#settled(job, record, startedAtMs);
    return decision.kind === 'done' ? record : undefined;
  }

  async #execute(target: DeliveryTarget, plan: DeliverPlan): Promise<ExecutionOutcome> {
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

  async #record(
    job: ClaimedJob,
    plan: DeliverPlan,
    outcome: ExecutionOutcome,
    decision: Decision,
    record: AttemptRecord,
    target: DeliveryTarget,
  ): Promise<void> {
    const { store } = this.#options;
    const now = record.atMs;
    const rateLimit = outcome.rateLimit;
    if (decision.kind !== 'rate_limited' && rateLimit !== undefined && rateLimit.remaining <= 0) {
      // The window's budget is spent: wait for its reset instead of collecting a 429 (decision 5).
      const untilMs = Math.min(rateLimit.resetAtSeconds * 1000, now + this.#policy.rateLimitMaxPauseMs);
      if (untilMs > now)
        await store.pauseDestination(job.destinationId, untilMs, 'rate_limit_budget_spent', now);
    }
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
        const untilMs = target.probe === undefined ? now + this.#probeIntervalMs : undefined;
        await store.pauseDestination(job.destinationId, untilMs, decision.reason, now);
        await store.reschedule(job, now, record, { countsAsAttempt: false });
        this.#logger.warn(
          { destinationId: job.destinationId, reason: decision.reason },
          'destination paused',
        );
        return;
      }
      case 'dead': {
        const { kind: _kind, ...death } = decision;
        await store.kill(job, { ...death, plan }, record, now);
        this.#logger.warn(
          { seq: job.seq, destinationId: job.destinationId, reason: decision.reason, code: decision.code },
          'job dead-lettered',
        );
        return;
      }
    }
  }

  #settled(job: ClaimedJob, record: AttemptRecord, startedAtMs: number): void {
    this.#options.onSettled?.({ job, record, durationMs: record.atMs - startedAtMs });
  }
}

/** The head's event, or the head and its followers merged into one (they passed `canCoalesce`). */
function mergedEvent(head: ClaimedJob, followers: readonly ClaimedJob[]): SegmentEvent {
  const first = head.event;
  if (followers.length === 0 || !isCoalescible(first)) return head.event;
  const rest = followers.map((f) => f.event).filter((e): e is CoalescibleEvent => isCoalescible(e));
  return coalesceEvents<CoalescibleEvent>([first, ...rest]);
}

/** The attempt as stored: Intercom's answer, never the request (which may hold personal data). */
function toRecord(outcome: ExecutionOutcome, decision: Decision, atMs: number): AttemptRecord {
  const counted = decision.kind !== 'rate_limited' && decision.kind !== 'paused';
  const base = { atMs, decision: decision.kind, counted, calls: outcome.calls, notes: outcome.notes };
  return outcome.kind === 'failed' ? { ...base, failure: outcome.failure } : base;
}

/** An error's class name only: messages of unknown errors may carry tokens or personal data. */
function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
