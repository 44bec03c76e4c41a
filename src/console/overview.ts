import { OPERATOR_PAUSE_REASON } from '../delivery/store/pauses.js';
import type { DestinationPause } from '../delivery/store/pauses.js';
import type { QueueDepth } from '../delivery/store/reports.js';
import { EVENT_NAME_LIMIT, EVENT_NAME_WARNING_COUNT } from '../delivery/worker/event-name-tally.js';
import type { ConsoleDestination, ConsoleOptions, TokenSource } from './console-options.js';
import { type FlowSeries, flowSeries } from './flow/flow-series.js';
import { MINUTE_MS, minuteOf } from './flow/flow-totals.js';
import { deadLetterView, type FailureView, mergeFailures } from './recent-failures.js';

/** Which token a destination delivers with: never the token, at most its last four characters. */
export interface TokenView {
  readonly source: TokenSource;
  /** False for an OAuth destination with no token connected yet (delivery waits). */
  readonly present: boolean;
  readonly hint?: string;
  readonly appId?: string;
  readonly connectedAt?: string;
  /** OAuth is configured and this destination takes its token from it. */
  readonly canConnect: boolean;
}

/** One destination on the console. */
export interface DestinationOverview {
  readonly id: string;
  readonly region: string;
  readonly status: 'delivering' | 'rate_limited' | 'paused';
  readonly reason?: string;
  readonly until?: string;
  readonly pausedByOperator: boolean;
  readonly queue: {
    readonly pending: number;
    readonly parked: number;
    readonly inFlight: number;
    readonly deadLetters: number;
  };
  readonly oldestPendingAgeSeconds?: number;
  readonly token: TokenView;
  readonly rateLimit?: { readonly limit: number; readonly remaining: number };
  readonly eventNames: { readonly count: number; readonly limit: number; readonly warningAt: number };
  readonly flow: FlowSeries;
  readonly failures: readonly FailureView[];
}

/** What `GET /console/api/overview` answers. */
export interface Overview {
  readonly now: string;
  readonly oauth: { readonly enabled: boolean; readonly canStore: boolean };
  readonly destinations: readonly DestinationOverview[];
}

function tokenView(options: ConsoleOptions, d: ConsoleDestination): TokenView {
  const canConnect = options.oauth !== undefined && d.tokenSource === 'oauth';
  if (d.tokenSource !== 'oauth') {
    return {
      source: d.tokenSource,
      present: d.configuredToken !== '',
      hint: d.configuredToken.slice(-4),
      canConnect,
    };
  }
  const connected = options.oauth?.vault.connected(d.id);
  if (connected === undefined) return { source: 'oauth', present: false, canConnect };
  return {
    source: 'oauth',
    present: true,
    hint: connected.hint,
    ...(connected.appId === undefined ? {} : { appId: connected.appId }),
    connectedAt: new Date(connected.connectedAtMs).toISOString(),
    canConnect,
  };
}

function statusOf(
  pause: DestinationPause | undefined,
): Pick<DestinationOverview, 'status' | 'reason' | 'until' | 'pausedByOperator'> {
  if (pause === undefined) return { status: 'delivering', pausedByOperator: false };
  return {
    status: pause.untilMs === undefined ? 'paused' : 'rate_limited',
    reason: pause.reason,
    ...(pause.untilMs === undefined ? {} : { until: new Date(pause.untilMs).toISOString() }),
    pausedByOperator: pause.reason === OPERATOR_PAUSE_REASON,
  };
}

function queueOf(
  depth: QueueDepth | undefined,
  nowMs: number,
): Pick<DestinationOverview, 'queue' | 'oldestPendingAgeSeconds'> {
  const queue = {
    pending: depth?.pending ?? 0,
    parked: depth?.parked ?? 0,
    inFlight: depth?.inFlight ?? 0,
    deadLetters: depth?.deadLetters ?? 0,
  };
  const oldest = depth?.oldestReceivedAt === undefined ? Number.NaN : Date.parse(depth.oldestReceivedAt);
  return Number.isNaN(oldest)
    ? { queue }
    : { queue, oldestPendingAgeSeconds: Math.max(0, (nowMs - oldest) / 1000) };
}

/** How long a queue-depth reading is reused: it scans every queued job, which a backlog makes costly. */
export const DEPTH_REUSE_MS = 5_000;

/** Reads the overview; queue depths are read at most every `DEPTH_REUSE_MS`, however many pages are open. */
export type OverviewReader = (nowMs: number) => Promise<Overview>;

/** Creates the reader of `GET /console/api/overview`. */
export function createOverviewReader(options: ConsoleOptions): OverviewReader {
  let depths: { readonly atMs: number; readonly value: Promise<readonly QueueDepth[]> } | undefined;
  const readDepths = (nowMs: number): Promise<readonly QueueDepth[]> => {
    if (depths === undefined || nowMs - depths.atMs >= DEPTH_REUSE_MS || nowMs < depths.atMs) {
      const value = options.store.queueDepth(nowMs);
      // A failed reading is not kept.
      value.catch(() => (depths = undefined));
      depths = { atMs: nowMs, value };
    }
    return depths.value;
  };
  return (nowMs) => readOverview(options, nowMs, readDepths);
}

/** Reads everything the console shows, for every configured destination, at `nowMs`. */
export async function readOverview(
  options: ConsoleOptions,
  nowMs: number,
  readDepths: (nowMs: number) => Promise<readonly QueueDepth[]> = (at) => options.store.queueDepth(at),
): Promise<Overview> {
  const { store } = options;
  const since = minuteOf(nowMs) - 59 * MINUTE_MS;
  const [pauses, depths, names, stored, unflushed] = await Promise.all([
    store.pausedDestinations(nowMs),
    readDepths(nowMs),
    store.eventNameCounts(),
    store.flowCountsSince(since),
    options.flow.unflushed(),
  ]);
  const rows = [...stored, ...unflushed];
  const destinations = await Promise.all(
    options.destinations.map(async (d): Promise<DestinationOverview> => {
      const dead = await store.listDeadLetters({ destinationId: d.id, limit: 10, newestFirst: true });
      const rateLimit = await options.live.rateLimit(d.id);
      return {
        id: d.id,
        region: d.region,
        ...statusOf(pauses.find((p) => p.destinationId === d.id)),
        ...queueOf(
          depths.find((q) => q.destinationId === d.id),
          nowMs,
        ),
        token: tokenView(options, d),
        ...(rateLimit === undefined ? {} : { rateLimit }),
        eventNames: {
          count: names.find((n) => n.destinationId === d.id)?.count ?? 0,
          limit: EVENT_NAME_LIMIT,
          warningAt: EVENT_NAME_WARNING_COUNT,
        },
        flow: flowSeries(d.id, rows, nowMs),
        failures: mergeFailures(options.failures.list(d.id), dead.map(deadLetterView), 20),
      };
    }),
  );
  return {
    now: new Date(nowMs).toISOString(),
    oauth: { enabled: options.oauth !== undefined, canStore: options.oauth?.canStore ?? false },
    destinations,
  };
}
