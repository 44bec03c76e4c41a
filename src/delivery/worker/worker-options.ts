import type { Clock } from '../../clock/clock.js';
import type { ContactUpdates } from '../store/contact-updates.js';
import type { Receipts } from '../store/enqueue.js';
import type { Erasures } from '../store/erasures.js';
import type { AttemptRecord, ClaimedJob } from '../store/job.js';
import type { LaneClaims } from '../store/lane-claims.js';
import type { DestinationPauses } from '../store/pauses.js';
import type { QueueReports } from '../store/reports.js';
import type { DeliveryTargets } from './delivery-target.js';
import type { DeliveryPolicy } from './policy.js';
import type { RatePacer } from './rate-pacer.js';

/**
 * The roles of the queue the worker uses: its lanes, the pauses, receipt pruning, the C-TR-6 name
 * count, L-5's update marks and L-4's deletions.
 */
export type WorkerStore = LaneClaims &
  DestinationPauses &
  Receipts &
  Pick<QueueReports, 'noteEventNames'> &
  ContactUpdates &
  Pick<Erasures, 'purgeErasedLane' | 'finishErasure'>;

/** The subset of a pino logger the worker uses. */
export interface WorkerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** A logger that says nothing (the default). */
export const SILENT_LOGGER: WorkerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Reported once per attempt, for metrics. */
export interface SettledAttempt {
  readonly job: ClaimedJob;
  readonly record: AttemptRecord;
  readonly durationMs: number;
}

/** Construction options of a `DeliveryWorker`. */
export interface DeliveryWorkerOptions {
  readonly store: WorkerStore;
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
  /**
   * Lets the event loop run once before each claim round (serve sets it). A store that answers
   * synchronously (SQLite in this thread) would otherwise let a worker draining jobs that need no HTTP
   * call (page and screen events are skipped) chain claims in microtasks and starve ingestion, every
   * request waiting until the queue ran dry; one turn per round bounds that wait.
   */
  readonly yieldBeforeClaims?: boolean;
  /** Waits `ms` or until `signal` aborts, whichever is first; injected so tests need no real time. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** An error's class name only: messages of unknown errors may carry tokens or personal data. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
