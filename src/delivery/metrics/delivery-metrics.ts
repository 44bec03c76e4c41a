import { Counter, type Registry } from 'prom-client';
import type { Clock } from '../../clock/clock.js';
import type { SkipReason } from '../../intercom/operations.js';
import type { SettledAttempt } from '../worker/worker-options.js';
import { type FetchWrapper, registerIntercomCallMetrics } from './intercom-call-metrics.js';
import { type ErasureGaugeSource, registerErasureGauges } from './erasure-gauges.js';
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

/** The outcome counters, labelled by destination and, where it says more, the decision or reason. */
interface OutcomeCounters {
  readonly delivered: Counter<'destination'>;
  readonly skipped: Counter<'destination' | 'reason'>;
  readonly retried: Counter<'destination' | 'decision'>;
  readonly dead: Counter<'destination'>;
  readonly warned: Counter<'destination' | 'code'>;
  readonly failures: Counter<'destination' | 'class'>;
}

function createOutcomeCounters(registry: Registry): OutcomeCounters {
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> =>
    new Counter({ name, help, labelNames, registers });
  return {
    delivered: counter('delivery_jobs_delivered_total', 'Jobs whose Intercom calls all succeeded.', [
      'destination',
    ]),
    skipped: counter(
      'delivery_jobs_skipped_total',
      'Jobs finished without an Intercom call (page, screen, alias, ...), by skip reason.',
      ['destination', 'reason'],
    ),
    retried: counter(
      'delivery_attempts_retried_total',
      'Attempts that left the job to run again: retry, parked, rate_limited, paused or waiting (C-IDN-5).',
      ['destination', 'decision'],
    ),
    dead: counter('delivery_jobs_dead_total', 'Jobs moved to the dead letters.', ['destination']),
    warned: counter(
      'delivery_mapping_warnings_total',
      'Things the mapping left out of delivered jobs (a trait, a property, a company), by warning code.',
      ['destination', 'code'],
    ),
    failures: counter(
      'delivery_failed_attempts_total',
      'L-1: failed attempts by class (rate_limited, token_rejected, transient, waiting_for_identity, permanent).',
      ['destination', 'class'],
    ),
  };
}

/** Counts one attempt's outcome. */
function countOutcome(counters: OutcomeCounters, { job, record }: SettledAttempt): void {
  const destination = job.destinationId;
  if (record.failureClass !== undefined) counters.failures.inc({ destination, class: record.failureClass });
  // A deletion (L-4) is not a delivery: `delivery_erasures` counts it from the queue.
  if (job.kind === 'deletion' && (record.decision === 'done' || record.decision === 'dead')) return;
  switch (record.decision) {
    case 'done':
      counters.delivered.inc({ destination });
      for (const warning of record.warnings ?? []) counters.warned.inc({ destination, code: warning.code });
      return;
    case 'skipped':
      counters.skipped.inc({ destination, reason: record.skipReason ?? 'unknown' });
      return;
    case 'dead':
      counters.dead.inc({ destination });
      return;
    case 'retry':
    case 'parked':
    case 'rate_limited':
    case 'paused':
    case 'waiting':
      counters.retried.inc({ destination, decision: record.decision });
      return;
    case 'released':
      return;
  }
}

/**
 * Registers the delivery metrics in `registry`. Labels are destination ids, statuses and reasons only
 * (never tokens or write keys). Queue depth is read from the store when scraped, so it is always current.
 */
export function createDeliveryMetrics(
  registry: Registry,
  queue: QueueGaugeSource & ErasureGaugeSource,
  clock: Clock,
): DeliveryMetrics {
  const counters = createOutcomeCounters(registry);
  const wrapFetch = registerIntercomCallMetrics(registry);
  registerQueueGauges(registry, queue, clock);
  registerErasureGauges(registry, queue);
  return {
    onSettled: (attempt) => countOutcome(counters, attempt),
    skippedAtIngest(destination, reason, count) {
      counters.skipped.inc({ destination, reason }, count);
    },
    wrapFetch,
  };
}
