import type { FailureClass } from './job.js';

/** Queue depth of one destination, for metrics and `/health`. */
export interface QueueDepth {
  readonly destinationId: string;
  /** Jobs waiting in order (including retries and in-flight ones). */
  readonly pending: number;
  /** C-RACE-2 tracks waiting for their user. */
  readonly parked: number;
  /** Jobs under a live lease. */
  readonly inFlight: number;
  readonly deadLetters: number;
  /** `receivedAt` of the oldest unfinished job. */
  readonly oldestReceivedAt?: string;
}

/** L-2: the last failed attempt of one destination, as `/health` and `/metrics` show it. */
export interface DestinationFailure {
  readonly destinationId: string;
  readonly failureClass: FailureClass;
  /** Intercom's HTTP status, when it answered. */
  readonly status?: number;
  /** Intercom's error code, or `timeout`, `network`, `identity_conflict` when that was the failure. */
  readonly code?: string;
  readonly atMs: number;
}

/** C-TR-6: distinct event names delivered to one workspace. */
export interface EventNameCount {
  readonly destinationId: string;
  readonly count: number;
}

/** How many jobs of a destination ended each way (`delivered`, `skipped:<reason>`, `dead:<reason>`). */
export interface DeliveryCount {
  readonly destinationId: string;
  readonly result: string;
  readonly count: number;
}

/** What the queue holds and has done, for `/health`, metrics and `doctor`; and the C-TR-6 name count. */
export interface QueueReports {
  /** Pending, parked, in-flight and dead jobs per destination at `nowMs`. */
  queueDepth(nowMs: number): Promise<readonly QueueDepth[]>;
  /** Finished jobs per destination and result. */
  deliveryCounts(): Promise<readonly DeliveryCount[]>;
  /** C-TR-6: distinct event names per workspace. */
  eventNameCounts(): Promise<readonly EventNameCount[]>;
  /**
   * L-2: the last failed attempt of each destination that had one, by destination id. Recorded with
   * the attempt (`reschedule`, `park`, `kill` of a record with a `failureClass`).
   */
  lastFailures(): Promise<readonly DestinationFailure[]>;
  /**
   * C-TR-6: remembers event names delivered to a workspace; resolves to how many distinct names it now
   * has and which of the given names were new.
   */
  noteEventNames(
    destinationId: string,
    names: readonly string[],
    nowMs: number,
  ): Promise<{ readonly count: number; readonly added: readonly string[] }>;
}
