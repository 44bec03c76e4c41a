import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../clock/clock.js';
import type { QueueDepth, QueueReports } from '../store/reports.js';

/** The reports the queue gauges read at scrape time. */
export type QueueGaugeSource = Pick<QueueReports, 'queueDepth' | 'eventNameCounts' | 'lastFailures'>;

/**
 * Queue depth per destination and state, the age of the oldest unfinished event, the time and class
 * of the last failure (L-2), and the C-TR-6 event-name count, read from the store when scraped, so
 * they are always current and the same whichever process sharing the queue is scraped.
 */
export function registerQueueGauges(registry: Registry, queue: QueueGaugeSource, clock: Clock): void {
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
  registerReportGauges(registry, queue);
}

/** The gauges read from the queue's other reports: the last failures (L-2) and event names (C-TR-6). */
function registerReportGauges(registry: Registry, queue: QueueGaugeSource): void {
  new Gauge({
    name: 'delivery_last_failure_timestamp_seconds',
    help: 'L-2: when the last failed attempt of a destination ended (Unix seconds), labelled with its class.',
    labelNames: ['destination', 'class'] as const,
    registers: [registry],
    async collect() {
      const failures = await queue.lastFailures();
      this.reset();
      for (const f of failures)
        this.set({ destination: f.destinationId, class: f.failureClass }, f.atMs / 1000);
    },
  });
  new Gauge({
    name: 'intercom_event_names',
    help: 'Distinct event names delivered per workspace; Intercom keeps at most 120 active ones (C-TR-6).',
    labelNames: ['destination'] as const,
    registers: [registry],
    async collect() {
      const counts = await queue.eventNameCounts();
      this.reset();
      for (const { destinationId, count } of counts) this.set({ destination: destinationId }, count);
    },
  });
}
