import type { Clock } from '../../clock/clock.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { EventNameCount, QueueDepth } from '../store/job-store.js';
import type { SettledAttempt } from '../worker/worker.js';
import type { FetchFunction } from '../../intercom/client.js';
import type { SkipReason } from '../../intercom/operations.js';
import { parseRateLimitHeaders } from '../../intercom/rate-limit-headers.js';

/** The part of the store the queue-depth gauge reads at scrape time. */
export interface QueueDepthSource {
  queueDepth(nowMs: number): Promise<readonly QueueDepth[]>;
  /** C-TR-6: distinct event names delivered per workspace (stores that count them). */
  eventNameCounts?(): Promise<readonly EventNameCount[]>;
}

/** Delivery and Intercom-call metrics, fed by the worker's `onSettled` hook and a wrapped `fetch`. */
export interface DeliveryMetrics {
  /** For `DeliveryWorkerOptions.onSettled`: counts each attempt's outcome. */
  onSettled(attempt: SettledAttempt): void;
  /** Wraps the `fetch` of one destination's Intercom client: calls by status, rate-limit budget. */
  wrapFetch(destinationId: string, fetch: FetchFunction): FetchFunction;
  /** Counts events skipped at ingestion (never queued) in the same counter as jobs the worker skipped. */
  skippedAtIngest(destinationId: string, reason: SkipReason, count: number): void;
}

/**
 * Registers the delivery metrics in `registry`. Labels are destination ids, statuses and reasons only
 * (never tokens or write keys). Queue depth is read from the store when scraped, so it is always current.
 */
export function createDeliveryMetrics(
  registry: Registry,
  queue: QueueDepthSource,
  clock: Clock,
): DeliveryMetrics {
  const registers = [registry];
  const delivered = new Counter({
    name: 'delivery_jobs_delivered_total',
    help: 'Jobs whose Intercom calls all succeeded.',
    labelNames: ['destination'] as const,
    registers,
  });
  const skipped = new Counter({
    name: 'delivery_jobs_skipped_total',
    help: 'Jobs finished without an Intercom call (page, screen, alias, ...), by skip reason.',
    labelNames: ['destination', 'reason'] as const,
    registers,
  });
  const retried = new Counter({
    name: 'delivery_attempts_retried_total',
    help: 'Attempts that left the job to run again: retry, parked, rate_limited or paused.',
    labelNames: ['destination', 'decision'] as const,
    registers,
  });
  const dead = new Counter({
    name: 'delivery_jobs_dead_total',
    help: 'Jobs moved to the dead letters.',
    labelNames: ['destination'] as const,
    registers,
  });
  const calls = new Counter({
    name: 'intercom_requests_total',
    help: 'HTTP calls to Intercom by answer status (network_error when no answer came).',
    labelNames: ['destination', 'status'] as const,
    registers,
  });
  const remaining = new Gauge({
    name: 'intercom_rate_limit_remaining',
    help: 'X-RateLimit-Remaining of the last Intercom answer that carried it.',
    labelNames: ['destination'] as const,
    registers,
  });
  const limit = new Gauge({
    name: 'intercom_rate_limit_limit',
    help: 'X-RateLimit-Limit of the last Intercom answer that carried it.',
    labelNames: ['destination'] as const,
    registers,
  });
  registerQueueGauges(registry, queue, clock);
  new Gauge({
    name: 'intercom_event_names',
    help: 'Distinct event names delivered per workspace; Intercom keeps at most 120 active ones (C-TR-6).',
    labelNames: ['destination'] as const,
    registers,
    async collect() {
      const counts = (await queue.eventNameCounts?.()) ?? [];
      this.reset();
      for (const { destinationId, count } of counts) this.set({ destination: destinationId }, count);
    },
  });

  return {
    onSettled({ job, record }) {
      const destination = job.destinationId;
      switch (record.decision) {
        case 'done':
          delivered.inc({ destination });
          return;
        case 'skipped':
          skipped.inc({ destination, reason: record.skipReason ?? 'unknown' });
          return;
        case 'dead':
          dead.inc({ destination });
          return;
        case 'retry':
        case 'parked':
        case 'rate_limited':
        case 'paused':
          retried.inc({ destination, decision: record.decision });
          return;
        case 'released':
          return;
      }
    },
    skippedAtIngest(destination, reason, count) {
      skipped.inc({ destination, reason }, count);
    },
    wrapFetch(destination, fetch) {
      return async (url, init) => {
        let response: Response;
        try {
          response = await fetch(url, init);
        } catch (error: unknown) {
          calls.inc({ destination, status: 'network_error' });
          throw error;
        }
        calls.inc({ destination, status: String(response.status) });
        const budget = parseRateLimitHeaders(response.headers);
        if (budget !== undefined) {
          remaining.set({ destination }, budget.remaining);
          limit.set({ destination }, budget.limit);
        }
        return response;
      };
    },
  };
}

/** Queue depth per destination and state, and the age of the oldest unfinished event, read at scrape. */
function registerQueueGauges(registry: Registry, queue: QueueDepthSource, clock: Clock): void {
  // A scrape starts every metric's collect in the same turn of the event loop: they share one read.
  let current: Promise<readonly QueueDepth[]> | undefined;
  const read = (nowMs: number): Promise<readonly QueueDepth[]> => {
    if (current === undefined) {
      current = queue.queueDepth(nowMs);
      setImmediate(() => (current = undefined));
    }
    return current;
  };
  new Gauge({
    name: 'delivery_queue_depth',
    help: 'Jobs per destination and state (pending, parked, in_flight) and dead letters.',
    labelNames: ['destination', 'state'] as const,
    registers: [registry],
    async collect() {
      const depths = await read(clock.now());
      this.reset();
      for (const depth of depths) {
        const destination = depth.destinationId;
        this.set({ destination, state: 'pending' }, depth.pending);
        this.set({ destination, state: 'parked' }, depth.parked);
        this.set({ destination, state: 'in_flight' }, depth.inFlight);
        this.set({ destination, state: 'dead_letters' }, depth.deadLetters);
      }
    },
  });
  new Gauge({
    name: 'delivery_oldest_event_age_seconds',
    help: 'Age of the oldest unfinished event, per destination.',
    labelNames: ['destination'] as const,
    registers: [registry],
    async collect() {
      const nowMs = clock.now();
      const depths = await read(nowMs);
      this.reset();
      for (const depth of depths) {
        if (depth.oldestReceivedAt === undefined) continue;
        const ageMs = nowMs - Date.parse(depth.oldestReceivedAt);
        this.set({ destination: depth.destinationId }, Number.isNaN(ageMs) ? 0 : Math.max(0, ageMs) / 1000);
      }
    },
  });
}
