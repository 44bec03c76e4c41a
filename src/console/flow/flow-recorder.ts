import type { Clock } from '../../clock/clock.js';
import type { FlowCount, FlowHistory } from '../../delivery/store/flow-history.js';
import { type FlowTotals, MINUTE_MS, minuteOf, totalsDelta } from './flow-totals.js';

/** Keeps the console's per-minute history: running totals read once a minute, their change stored. */
export interface FlowRecorder {
  /** Stores what was counted since the last flush, in the minute of the last flush. */
  flush(): Promise<void>;
  /** What was counted since the last flush and is not stored yet (the current minute, this process). */
  unflushed(): Promise<FlowCount[]>;
  /** Flushes just after each minute boundary, and prunes history past its retention hourly. */
  start(onError: (error: unknown) => void): void;
  /** Stops the timer and flushes the last partial minute. */
  stop(): Promise<void>;
}

/** What the recorder reads and writes. */
export interface FlowRecorderOptions {
  readonly totals: () => Promise<FlowTotals>;
  readonly store: Pick<FlowHistory, 'addFlowCounts' | 'pruneFlowCounts'>;
  readonly clock: Clock;
  /** History is kept this long (default 7 days). */
  readonly retentionMs?: number;
}

/** Seven days of per-minute rows. */
export const DEFAULT_FLOW_RETENTION_MS = 7 * 24 * 60 * MINUTE_MS;

/**
 * Creates a recorder. Counts are attributed to the minute of the previous flush: flushes run just after
 * each minute boundary, so what changed since then happened in that minute. Several processes add their
 * counts to the same minute (`addFlowCounts` adds), so PostgreSQL's history is every process's.
 */
export function createFlowRecorder(options: FlowRecorderOptions): FlowRecorder {
  const { clock, store } = options;
  const retentionMs = options.retentionMs ?? DEFAULT_FLOW_RETENTION_MS;
  let baseline: Promise<FlowTotals> = options.totals();
  let lastFlushMs = clock.now();
  let nextPruneMs = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const changes = async (): Promise<{ readonly totals: FlowTotals; readonly counts: FlowCount[] }> => {
    const [before, totals] = [await baseline, await options.totals()];
    const minuteMs = minuteOf(lastFlushMs);
    return { totals, counts: totalsDelta(before, totals).map((d) => ({ ...d, minuteMs })) };
  };
  const flush = async (): Promise<void> => {
    const { totals, counts } = await changes();
    await store.addFlowCounts(counts);
    // Only once stored: a failed write keeps its counts for the next flush.
    baseline = Promise.resolve(totals);
    lastFlushMs = clock.now();
    if (lastFlushMs >= nextPruneMs) {
      nextPruneMs = lastFlushMs + 60 * MINUTE_MS;
      await store.pruneFlowCounts(lastFlushMs - retentionMs);
    }
  };
  const serial = (): Promise<void> => (running = running.then(flush, flush));
  const schedule = (onError: (error: unknown) => void): void => {
    const now = clock.now();
    const waitMs = minuteOf(now) + MINUTE_MS + 50 - now;
    timer = setTimeout(() => {
      serial().catch(onError);
      schedule(onError);
    }, waitMs);
    timer.unref();
  };
  return {
    flush: serial,
    unflushed: async () => (await changes()).counts,
    start(onError) {
      if (timer === undefined) schedule(onError);
    },
    async stop() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await serial();
    },
  };
}
