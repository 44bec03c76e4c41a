import type { JsonValue } from '../../segment/json.js';
import type { DestinationPause, DestinationPauses } from '../store/pauses.js';
import type { DestinationFailure, QueueDepth, QueueReports } from '../store/reports.js';

/** What `GET /health` answers; `ok: false` turns the status into 503. */
export interface HealthReport {
  readonly ok: boolean;
  readonly [key: string]: JsonValue;
}

/** How one destination's delivery stands: `paused` waits for a probe (token rejected), `rate_limited` for a reset. */
export type DestinationStatus = 'delivering' | 'paused' | 'rate_limited';

/** One destination on `/health`. */
export type DestinationHealth = {
  readonly id: string;
  readonly status: DestinationStatus;
  readonly reason?: string;
  /** ISO-8601 end of a timed pause. */
  readonly until?: string;
  readonly pending: number;
  readonly parked: number;
  readonly deadLetters: number;
  /** L-2: how long the oldest event not yet delivered (pending or parked) has waited, in whole seconds. */
  readonly oldestPendingAgeSeconds: number;
  /** L-2: the last failed attempt: its L-1 class, when (ISO-8601), Intercom's status and code. */
  readonly lastError?: {
    readonly class: string;
    readonly at: string;
    readonly status?: number;
    readonly code?: string;
  };
};

/** The service's `/health` report. */
export type ServiceHealth = {
  readonly ok: true;
  /** Where delivery goes: the in-process sandbox or Intercom. */
  readonly intercom: 'sandbox' | 'intercom';
  /** `paused` while any destination waits for a probe. */
  readonly delivery: 'paused' | 'running';
  readonly destinations: readonly DestinationHealth[];
};

/** What the report is computed from. */
export interface HealthInput {
  readonly pauses: readonly DestinationPause[];
  readonly depths: readonly QueueDepth[];
  /** L-2: the last failed attempt of each destination that had one. */
  readonly failures: readonly DestinationFailure[];
  readonly nowMs: number;
  /** The configured destinations, in the order to report them. */
  readonly destinationIds: readonly string[];
  readonly intercom: ServiceHealth['intercom'];
}

/**
 * `/health` from the pauses in force, the queue depths and the last failures. It answers for
 * ingestion: it stays `ok` while events can be stored, even when a destination is paused, so a load
 * balancer never turns away traffic that would be kept. Pauses are shown per destination: `paused`
 * (token rejected, waiting for a probe) or `rate_limited` (until the reset). L-2: each destination
 * also shows how long its oldest undelivered event has waited and its last failure, so a queue that
 * retries without progress does not look healthy.
 */
export function serviceHealth(input: HealthInput): ServiceHealth {
  const { pauses } = input;
  return {
    ok: true,
    intercom: input.intercom,
    delivery: pauses.some((p) => p.untilMs === undefined) ? 'paused' : 'running',
    destinations: input.destinationIds.map((id) => destinationHealth(id, input)),
  };
}

function destinationHealth(id: string, input: HealthInput): DestinationHealth {
  const pause = input.pauses.find((p) => p.destinationId === id);
  const counts = input.depths.find((q) => q.destinationId === id);
  const failure = input.failures.find((f) => f.destinationId === id);
  const oldestMs = counts?.oldestReceivedAt === undefined ? Number.NaN : Date.parse(counts.oldestReceivedAt);
  return {
    id,
    status: pause === undefined ? 'delivering' : pause.untilMs === undefined ? 'paused' : 'rate_limited',
    ...(pause !== undefined ? { reason: pause.reason } : {}),
    ...(pause?.untilMs !== undefined ? { until: new Date(pause.untilMs).toISOString() } : {}),
    pending: counts?.pending ?? 0,
    parked: counts?.parked ?? 0,
    deadLetters: counts?.deadLetters ?? 0,
    oldestPendingAgeSeconds: Number.isNaN(oldestMs)
      ? 0
      : Math.max(0, Math.floor((input.nowMs - oldestMs) / 1000)),
    ...(failure === undefined ? {} : { lastError: lastError(failure) }),
  };
}

function lastError(failure: DestinationFailure): NonNullable<DestinationHealth['lastError']> {
  return {
    class: failure.failureClass,
    at: new Date(failure.atMs).toISOString(),
    ...(failure.status === undefined ? {} : { status: failure.status }),
    ...(failure.code === undefined ? {} : { code: failure.code }),
  };
}

/** Reads what `/health` shows from the queue at `nowMs`. */
export async function readServiceHealth(
  queue: HealthSource,
  settings: Pick<HealthInput, 'destinationIds' | 'intercom'>,
  nowMs: number,
): Promise<ServiceHealth> {
  const [pauses, depths, failures] = await Promise.all([
    queue.pausedDestinations(nowMs),
    queue.queueDepth(nowMs),
    queue.lastFailures(),
  ]);
  return serviceHealth({ pauses, depths, failures, nowMs, ...settings });
}

/** What `/health` reads from the queue. */
export type HealthSource = Pick<DestinationPauses, 'pausedDestinations'> &
  Pick<QueueReports, 'queueDepth' | 'lastFailures'>;
