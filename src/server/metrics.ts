import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';

/**
 * The ingestion counters. Labels are source ids, route patterns, status codes and error or issue
 * codes only: never write keys, tokens or anything from the request body, so a scrape leaks nothing.
 */
export interface IngestMetrics {
  /** The registry `GET /metrics` exposes; delivery registers its own metrics into it too. */
  readonly registry: Registry;
  /** Events of authenticated requests, valid or not (a batch counts each of its events). */
  received(sourceId: string, count: number): void;
  /** Events newly committed to the store. */
  stored(sourceId: string, count: number): void;
  /** Events the store already held (client retries, I-5). */
  deduplicated(sourceId: string, count: number): void;
  /**
   * Rejections by reason: a parse issue code for each refused event of a batch, or the error code of
   * a refused request (counted once, as its events were never read).
   */
  rejected(reason: string, count: number): void;
  /** One answered request, by route pattern (`unmatched` for 404s) and status. */
  answered(route: string, status: number, durationSeconds: number): void;
}

/** Request durations are small: parsing and one group commit. */
const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Creates the ingestion counters in `registry` (a fresh one by default: no global state). */
export function createIngestMetrics(registry: Registry = new Registry()): IngestMetrics {
  const received = new Counter({
    name: 'ingest_events_received_total',
    help: 'Events received in authenticated requests, valid or not.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const stored = new Counter({
    name: 'ingest_events_stored_total',
    help: 'Events durably stored for delivery.',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const deduplicated = new Counter({
    name: 'ingest_events_deduplicated_total',
    help: 'Events dropped because their messageId was already stored (client retries).',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'ingest_rejected_total',
    help: 'Refused events (batch entries, by parse issue) and refused requests (by error code).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'ingest_request_duration_seconds',
    help: 'Time from request start to the answer, by route and status.',
    labelNames: ['route', 'status'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  return {
    registry,
    received: (source, count) => received.inc({ source }, count),
    stored: (source, count) => stored.inc({ source }, count),
    deduplicated: (source, count) => deduplicated.inc({ source }, count),
    rejected: (reason, count) => rejected.inc({ reason }, count),
    answered: (route, status, seconds) => requests.observe({ route, status: String(status) }, seconds),
  };
}

/** Registers `GET /metrics`: the registry in Prometheus text format. */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    const text = await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
}
