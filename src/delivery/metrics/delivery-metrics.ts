import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../../clock/clock.js';
import type { SkipReason } from '../../intercom/operations.js';
import type { SettledAttempt } from '../worker/worker-options.js';
import { type FetchWrapper, registerIntercomCallMetrics } from './intercom-call-metrics.js';
import { type QueueGaugeSource, registerQueueGauges } from './queue-gauges.js';

/** Delivery and Intercom-call metrics, fed by the worker's `onSettled` hook and a wrapped `fetch`. */
export interface DeliveryMetrics {
  /** For `DeliveryWorkerOptions.onSettled`: counts each attempt's outcome. */
  onSettled(attempt: SettledAttempt): void;
  /** Wraps the `fetch` of one destination's Intercom client: calls by status, rate-limit budget. */
  readonly wrapFetch: FetchWrapper;
  /** Counts events skipped at ingestion (never queued) in the same counter as jobs the worker skipped. */
  skippedAtIngest(destinationId: string, reason: SkipReason, count: number): void;
}

/**
 * Registers the delivery metrics in `registry`. Labels are destination ids, statuses and reasons only
 * (never tokens or write keys). Queue depth is read from the store when scraped, so it is always current.
 */
export function createDeliveryMetrics(
  registry: Registry,
  queue: QueueGaugeSource,
  clock: Clock,
): DeliveryMetrics {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    new Counter({ name, help, labelNames, registers });
  const delivered = counter('delivery_jobs_delivered_total', 'Jobs whose Intercom calls all succeeded.', [
    'destination',
  ]);
  const skipped = counter(
    'delivery_jobs_skipped_total',
    'Jobs finished without an Intercom call (page, screen, alias, ...), by skip reason.',
    ['destination', 'reason'],
  );
  const retried = counter(
    'delivery_attempts_retried_total',
    'Attempts that left the job to run again: retry, parked, rate_limited or paused.',
    ['destination', 'decision'],
  );
  const dead = counter('delivery_jobs_dead_total', 'Jobs moved to the dead letters.', ['destination']);
  const failures = counter(
    'delivery_failed_attempts_total',
    'L-1: failed attempts by class (rate_limited, token_rejected, transient, waiting_for_identity, permanent).',
    ['destination', 'class'],
  );
  const wrapFetch = registerIntercomCallMetrics(registry);
  registerQueueGauges(registry, queue, clock);
  return {
    onSettled({ job, record }) {
      const destination = job.destinationId;
      if (record.failureClass !== undefined) failures.inc({ destination, class: record.failureClass });
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
    wrapFetch,
  };
}
