import { setImmediate as nextTurn, setTimeout as sleepFor } from 'node:timers/promises';
import { OPERATOR_PAUSE_REASON } from '../store/pauses.js';
import type { AttemptContext } from './attempt-context.js';
import { attemptJob } from './attempt.js';
import { createEventNameTally } from './event-name-tally.js';
import { createLogThrottle } from './log-throttle.js';
import { DEFAULT_DELIVERY_POLICY } from './policy.js';
import { type DeliveryWorkerOptions, errorName, SILENT_LOGGER } from './worker-options.js';

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
  readonly #attempts: AttemptContext;
  readonly #receiptRetentionMs: number;
  readonly #inFlight = new Map<number, Promise<void>>();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #probing: Promise<void> | undefined;
  #wake = new AbortController();
  #nextProbeAtMs = 0;
  #nextRenewAtMs = 0;
  #nextPruneAtMs = 0;

  constructor(options: DeliveryWorkerOptions) {
    this.#options = options;
    const logger = options.logger ?? SILENT_LOGGER;
    this.#attempts = {
      options,
      policy: options.policy ?? DEFAULT_DELIVERY_POLICY,
      logger,
      probeIntervalMs: options.probeIntervalMs ?? 60_000,
      eventNames: createEventNameTally(options.store, logger),
      failureLog: createLogThrottle(),
      followerSeqs: new Set(),
      isStopping: () => this.#stopping,
    };
    this.#receiptRetentionMs = options.receiptRetentionMs ?? 7 * 24 * 60 * 60_000;
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
    const { logger } = this.#attempts;
    let resumed = 0;
    for (const pause of await store.pausedDestinations(clock.now())) {
      // A timed pause ends by itself; an operator's pause waits for the operator.
      if (pause.untilMs !== undefined || pause.reason === OPERATOR_PAUSE_REASON) continue;
      const target = destinations(pause.destinationId);
      if (target?.probe === undefined) continue;
      const ok = await target.probe().catch((error: unknown) => {
        logger.warn({ destinationId: pause.destinationId, error: errorName(error) }, 'probe failed');
        return false;
      });
      if (!ok) continue;
      await store.resumeDestination(pause.destinationId);
      logger.info({ destinationId: pause.destinationId }, 'destination resumed after a successful probe');
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
        this.#attempts.logger.error({ error: errorName(error) }, 'delivery loop: store failure');
      }
      const full = this.#inFlight.size >= this.#options.concurrency;
      if (claimed > 0 && !full) continue;
      if (this.#wake.signal.aborted) {
        // A job finished while we were claiming: its slot (and maybe its lane's next job) is free now.
        this.#wake = new AbortController();
        continue;
      }
      // Renew leases in time even when polling slowly.
      const { pollMs, leaseMs } = this.#options;
      await sleep(this.#inFlight.size > 0 ? Math.min(pollMs, leaseMs / 3) : pollMs, this.#wake.signal);
    }
  }

  /** Claims as many lane heads as there are free slots and starts them; resolves to how many. */
  async #claim(): Promise<number> {
    const { store, workerId, leaseMs, concurrency, clock, destinationIds } = this.#options;
    if (this.#options.yieldBeforeClaims === true) await nextTurn();
    const limit = concurrency - this.#inFlight.size;
    if (limit <= 0 || this.#stopping) return 0;
    const now = clock.now();
    const replayHeld = this.#options.pacer?.replayHeld(now) ?? [];
    const jobs = await store.claim({
      workerId,
      limit,
      leaseMs,
      now,
      ...(destinationIds === undefined ? {} : { destinationIds }),
      ...(replayHeld.length === 0 ? {} : { replayHeld }),
    });
    for (const job of jobs) {
      const run = attemptJob(this.#attempts, job)
        .catch((error: unknown) => {
          // The lease expires and another round retries the job: at-least-once, never lost.
          this.#attempts.logger.error(
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
      const held = [...this.#inFlight.keys(), ...this.#attempts.followerSeqs];
      await store.renewLeases(workerId, held, now + leaseMs);
    }
    if (now >= this.#nextProbeAtMs && this.#probing === undefined) {
      this.#nextProbeAtMs = now + this.#attempts.probeIntervalMs;
      // In the background: a probe waiting on a dead network must not hold up other destinations.
      this.#probing = this.probePaused()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.#attempts.logger.error({ error: errorName(error) }, 'probing paused destinations failed');
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
}
