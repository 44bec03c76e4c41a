import type { Registry } from 'prom-client';
import { callClass, type FlowTotals } from './flow-totals.js';

/** The counters of `/metrics` the console's history is made from, and how each becomes a series. */
const SOURCES: readonly {
  readonly metric: string;
  readonly series: (labels: Partial<Record<string, string | number>>) => string;
}[] = [
  { metric: 'ingest_events_received_total', series: () => 'received' },
  { metric: 'delivery_jobs_delivered_total', series: () => 'delivered' },
  { metric: 'delivery_jobs_skipped_total', series: () => 'skipped' },
  { metric: 'delivery_jobs_dead_total', series: () => 'dead' },
  { metric: 'intercom_requests_total', series: (labels) => `calls_${callClass(String(labels['status']))}` },
];

/**
 * Reads the running totals from the Prometheus counters the product keeps anyway, so recording the
 * history adds nothing to ingestion's or delivery's path: ingestion counts by source, which
 * `destinationOfSource` maps to its destination.
 */
export function createPrometheusTotals(
  registry: Registry,
  destinationOfSource: ReadonlyMap<string, string>,
): () => Promise<FlowTotals> {
  return async () => {
    const totals = new Map<string, Map<string, number>>();
    for (const source of SOURCES) {
      const metric = registry.getSingleMetric(source.metric);
      if (metric === undefined) continue;
      for (const { labels, value } of (await metric.get()).values) {
        const destination =
          typeof labels['destination'] === 'string'
            ? labels['destination']
            : destinationOfSource.get(String(labels['source']));
        if (destination === undefined) continue;
        const series = totals.get(destination) ?? new Map<string, number>();
        const name = source.series(labels);
        series.set(name, (series.get(name) ?? 0) + value);
        totals.set(destination, series);
      }
    }
    return totals;
  };
}

/** The last `X-RateLimit-*` figures of a destination, from the gauges `/metrics` exposes. */
export function createPrometheusRateLimit(
  registry: Registry,
): (destinationId: string) => Promise<{ readonly limit: number; readonly remaining: number } | undefined> {
  const read = async (name: string, destinationId: string): Promise<number | undefined> => {
    const metric = registry.getSingleMetric(name);
    if (metric === undefined) return undefined;
    return (await metric.get()).values.find((v) => v.labels['destination'] === destinationId)?.value;
  };
  return async (destinationId) => {
    const [limit, remaining] = await Promise.all([
      read('intercom_rate_limit_limit', destinationId),
      read('intercom_rate_limit_remaining', destinationId),
    ]);
    return limit === undefined || remaining === undefined ? undefined : { limit, remaining };
  };
}
