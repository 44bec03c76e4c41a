import { Gauge, type Registry } from 'prom-client';
import type { Erasures } from '../store/erasures.js';

/** Where the erasure gauge reads its figures. */
export type ErasureGaugeSource = Pick<Erasures, 'erasureCounts'>;

/** L-4: erased keys per destination and status (pending, done, failed), read from the queue when scraped. */
export function registerErasureGauges(registry: Registry, source: ErasureGaugeSource): void {
  new Gauge({
    name: 'delivery_erasures',
    help: 'Keys of deletion requests (L-4) per destination and status: pending, done, failed.',
    labelNames: ['destination', 'status'] as const,
    registers: [registry],
    async collect() {
      const counts = await source.erasureCounts();
      this.reset();
      for (const { destinationId, status, count } of counts)
        this.set({ destination: destinationId, status }, count);
    },
  });
}
