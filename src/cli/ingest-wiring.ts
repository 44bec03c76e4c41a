import type { Logger } from 'pino';
import type { DeliveryMetrics } from '../delivery/metrics/delivery-metrics.js';
import { skipAtIngest } from '../delivery/intake/skip-at-ingest.js';
import { createGroupCommit, replayGroupCommitFor } from '../delivery/store/group-commit.js';
import type { Enqueuer, RowEnqueuer } from '../delivery/store/enqueue.js';
import type { Erasures } from '../delivery/store/erasures.js';
import { type HealthSource, readServiceHealth } from '../delivery/worker/health.js';
import type { Clock } from '../clock/clock.js';
import type { FastifyInstance } from 'fastify';
import { createIngestApp } from '../server/app.js';
import type { IngestMetrics } from '../server/metrics.js';
import type { WebhookSource } from '../server/webhook-signature.js';
import type { Source } from '../server/write-key-auth.js';
import type { ServeConfig } from './config.js';
import { createDeletionDesk } from './deletion-desk.js';

/** What the ingestion server is wired to. */
export interface IngestWiring {
  /** Where accepted events go, and what `/health` reads. */
  readonly store: RowEnqueuer & HealthSource & Pick<Erasures, 'requestErasure' | 'erasureRecords'>;
  readonly metrics: IngestMetrics;
  readonly deliveryMetrics: DeliveryMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** The ingestion server of a configuration: write keys and webhook secrets to sources, the enqueue path, `/health`. */
export function createIngestion(config: ServeConfig, wiring: IngestWiring): FastifyInstance {
  const { store, deliveryMetrics } = wiring;
  const mappings = new Map(config.destinations.map((d) => [d.id, d.mapping]));
  const sources = new Map<string, Source>();
  const webhookSources: WebhookSource[] = [];
  for (const d of config.destinations) {
    for (const s of d.sources) {
      const source = { sourceId: s.sourceId, destinationId: d.id };
      if (s.writeKey !== undefined) sources.set(s.writeKey, source);
      if (s.webhookSecret !== undefined) webhookSources.push({ ...source, secret: s.webhookSecret });
    }
  }
  const health = {
    destinationIds: config.destinations.map((d) => d.id),
    intercom: config.sandbox !== undefined ? ('sandbox' as const) : ('intercom' as const),
  };
  const skipping = (into: Enqueuer): Enqueuer =>
    skipAtIngest({
      store: into,
      settings: (id) => mappings.get(id),
      onSkipped: (id, reason, count) => deliveryMetrics.skippedAtIngest(id, reason, count),
    });
  return createIngestApp({
    sources,
    webhookSources,
    // Concurrent requests share one transaction and one fsync (I-5 at speed). Events that can never
    // cost an Intercom call (page, screen, alias, no identity) are counted, not queued.
    enqueuer: skipping(createGroupCommit(store)),
    // A replay keeps a large batch in flight per connection: its own group commit, apart from live
    // traffic's, gathers them into transactions of up to 20,000 events on SQLite (L-5 at speed) and
    // of one batch on PostgreSQL, whose lane locks must fit the server's lock table.
    admin: {
      token: config.console.adminToken,
      replay: skipping(
        createGroupCommit(
          store,
          replayGroupCommitFor(config.databaseUrl === undefined ? 'sqlite' : 'postgres'),
        ),
      ),
      deletions: createDeletionDesk({
        erasures: store,
        destinationIds: config.destinations.map((d) => d.id),
        clock: wiring.clock,
      }),
    },
    metrics: wiring.metrics,
    cors: { origins: config.corsOrigins },
    logger: wiring.logger.child({ component: 'ingest' }),
    health: () => readServiceHealth(store, health, wiring.clock.now()),
  });
}
