import type { JsonValue } from '../../segment/json.js';
import type { DestinationPause, DestinationPauses } from '../store/pauses.js';
import type { QueueDepth, QueueReports } from '../store/reports.js';

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
  /** The configured destinations, in the order to report them. */
  readonly destinationIds: readonly string[];
  readonly intercom: ServiceHealth['intercom'];
}

/**
 * `/health` from the pauses in force and the queue depths. It answers for ingestion: it stays `ok`
 * while events can be stored, even when a destination is paused, so a load balancer never turns away
 * traffic that would be kept. Pauses are shown per destination: `paused` (token rejected, waiting for
 * a probe) or `rate_limited` (until the reset).
 */
export function serviceHealth(input: HealthInput): ServiceHealth {
  const { pauses, depths } = input;
  return {
    ok: true,
    intercom: input.intercom,
    delivery: pauses.some((p) => p.untilMs === undefined) ? 'paused' : 'running',
    destinations: input.destinationIds.map((id): DestinationHealth => {
      const pause = pauses.find((p) => p.destinationId === id);
      const counts = depths.find((q) => q.destinationId === id);
      return {
        id,
        status: pause === undefined ? 'delivering' : pause.untilMs === undefined ? 'paused' : 'rate_limited',
        ...(pause !== undefined ? { reason: pause.reason } : {}),
        ...(pause?.untilMs !== undefined ? { until: new Date(pause.untilMs).toISOString() } : {}),
        pending: counts?.pending ?? 0,
        parked: counts?.parked ?? 0,
        deadLetters: counts?.deadLetters ?? 0,
      };
    }),
  };
}

/** Reads what `/health` shows from the queue at `nowMs`. */
export async function readServiceHealth(
  queue: Pick<DestinationPauses, 'pausedDestinations'> & Pick<QueueReports, 'queueDepth'>,
  settings: Pick<HealthInput, 'destinationIds' | 'intercom'>,
  nowMs: number,
): Promise<ServiceHealth> {
  const [pauses, depths] = await Promise.all([queue.pausedDestinations(nowMs), queue.queueDepth(nowMs)]);
  return serviceHealth({ pauses, depths, ...settings });
}
