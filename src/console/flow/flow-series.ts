import type { FlowCount } from '../../delivery/store/flow-history.js';
import { CHART_SERIES, MINUTE_MS, minuteOf } from './flow-totals.js';

/** One destination's last hour, minute by minute, for the charts; and its Intercom calls by class. */
export interface FlowSeries {
  /** Start of each minute, Unix seconds (uPlot's x values), oldest first; the last is the current minute. */
  readonly minutes: readonly number[];
  /** `received`, `delivered`, `skipped`, `dead`: one count per minute. */
  readonly series: Readonly<Record<(typeof CHART_SERIES)[number], readonly number[]>>;
  /** Calls to Intercom in the hour, by class (`2xx`, `4xx`, `429`, `5xx`, `failed`). */
  readonly callsLastHour: Readonly<Record<string, number>>;
}

/** Builds one destination's hour from stored rows and the current process's unflushed counts. Pure. */
export function flowSeries(
  destinationId: string,
  rows: readonly FlowCount[],
  nowMs: number,
  minutes = 60,
): FlowSeries {
  const lastMinute = minuteOf(nowMs);
  const firstMinute = lastMinute - (minutes - 1) * MINUTE_MS;
  const starts = Array.from({ length: minutes }, (_, i) => firstMinute + i * MINUTE_MS);
  const series = Object.fromEntries(CHART_SERIES.map((name) => [name, starts.map(() => 0)])) as Record<
    (typeof CHART_SERIES)[number],
    number[]
  >;
  const calls: Record<string, number> = {};
  for (const row of rows) {
    if (row.destinationId !== destinationId || row.minuteMs < firstMinute || row.minuteMs > lastMinute)
      continue;
    const index = (row.minuteMs - firstMinute) / MINUTE_MS;
    if (row.series.startsWith('calls_')) {
      const klass = row.series.slice('calls_'.length);
      calls[klass] = (calls[klass] ?? 0) + row.count;
      continue;
    }
    const values = (series as Record<string, number[] | undefined>)[row.series];
    if (values !== undefined) values[index] = (values[index] ?? 0) + row.count;
  }
  return { minutes: starts.map((ms) => ms / 1000), series, callsLastHour: calls };
}
