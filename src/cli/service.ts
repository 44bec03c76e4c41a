import { systemClock } from '../clock/clock.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { ServeConfig } from './config.js';
import type { DestinationConfig } from './destinations-file.js';
import { DeliveryWorker, type DeliveryTarget } from '../delivery/worker/worker.js';
import { createGroupCommit } from '../delivery/store/group-commit.js';
import { createDeliveryMetrics } from '../delivery/metrics/delivery-metrics.js';
import { yieldBeforeClaims } from './yielding-claims.js';
import { isHeldForOthers, openServeQueue } from './queue.js';
import { skipAtIngest } from '../delivery/intake/skip-at-ingest.js';
import { createIngestMetrics } from '../server/metrics.js';
import type { FetchFunction } from '../intercom/client.js';
import type { DeliveryPolicy } from '../delivery/worker/policy.js';
import { createRatePacer } from '../delivery/worker/rate-pacer.js';
import { IntercomClient } from '../intercom/client.js';
import { createExecutor } from '../intercom/executor.js';
import type { IdCache } from '../intercom/id-cache.js';
import { mapEvent } from '../mapping/map-event.js';
import type { Sandbox, SandboxOptions } from '../sandbox/sandbox.js';
import { createIngestApp } from '../server/app.js';
import type { HealthReport } from '../server/health-route.js';
import type { Source } from '../server/write-key-auth.js';

/** A running service: ingestion, delivery worker and (without a token) the sandbox. */
export interface RunningService {
  readonly ingestUrl: string;
  /** Set when delivery goes to the in-process sandbox. */
  readonly sandboxUrl?: string;
  readonly sandbox?: Sandbox;
  /**
   * Resolves if a part the service cannot run without fails for good (the store's thread): the
   * process should then stop, so that a supervisor restarts it. Never settles otherwise.
   */
  readonly failed: Promise<Error>;
  /** Graceful stop: ingestion closes, the worker finishes in-flight calls and releases its leases. */
  close(): Promise<void>;
}

/** Options that tests and embedders may set beside the configuration. */
export interface ServiceOptions {
  readonly logger: Logger;
  /** Worker lanes in parallel (default 8). */
  readonly concurrency?: number;
  /** Idle poll interval of the worker (default 100 ms). */
  readonly pollMs?: number;
  /** Options of the in-process sandbox (tests share a validator, keep longer request logs). */
  readonly sandboxOptions?: SandboxOptions;
  /** Retry policy tunables (tests shorten the backoff). */
  readonly policy?: DeliveryPolicy;
  /** Proactive pacing from `X-RateLimit-*` (default true; benchmarks turn it off for their baseline). */
  readonly ratePacing?: boolean;
}

/** Builds the worker's view of one destination: mapping with its settings, executor, token probe. */
function createTarget(
  destination: DestinationConfig,
  apiBaseUrl: string | undefined,
  idCache: IdCache,
  fetch: FetchFunction,
): DeliveryTarget {
  const client = new IntercomClient({
    fetch,
    accessToken: destination.accessToken,
    region: destination.region,
    ...(apiBaseUrl !== undefined ? { apiBaseUrl } : {}),
    apiVersion: destination.apiVersion,
  });
  const executor = createExecutor({
    client,
    idCache,
    destinationId: destination.id,
    createMissingAttributes: destination.mapping.createMissingAttributes,
  });
  return {
    map: (event) => mapEvent(event, destination.mapping),
    execute: (plan) => executor.execute(plan),
    coalesce: destination.bulkApiEnabled,
    probe: async () => {
      try {
        await client.getMe();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Wires store, mapping, executor, worker, ingestion and (optionally) the sandbox from a configuration. */
export async function startService(config: ServeConfig, options: ServiceOptions): Promise<RunningService> {
  const { logger } = options;
  let sandbox: Sandbox | undefined;
  let sandboxUrl: string | undefined;
  if (config.sandbox !== undefined) {
    const appId = config.destinations[0]?.appId ?? 'sandbox';
    // Loaded only when used: the sandbox's modules (OpenAPI validator, routes) cost memory in production.
    const { createSandbox } = await import('../sandbox/sandbox.js');
    sandbox = await createSandbox({ appId, ...options.sandboxOptions });
    sandboxUrl = await sandbox.listen({ port: config.sandbox.port, host: config.host });
  }

  const queue = await openServeQueue(config, logger);
  const { store } = queue;
  // One registry for GET /metrics: ingestion counters, delivery outcomes, Intercom calls, queue depth.
  const registry = new Registry();
  const ingestMetrics = createIngestMetrics(registry);
  const deliveryMetrics = createDeliveryMetrics(registry, store, systemClock);
  // The store is also the durable id cache (C-IDN-3): a restart does not cost a lookup per user.
  const idCache: IdCache = store;
  const targets = new Map<string, DeliveryTarget>(
    config.destinations.map((d) => [
      d.id,
      createTarget(
        d,
        d.apiBaseUrl ?? sandboxUrl,
        idCache,
        deliveryMetrics.wrapFetch(d.id, (url, init) => fetch(url, init)),
      ),
    ]),
  );
  const worker = new DeliveryWorker({
    store: yieldBeforeClaims(store),
    destinations: (id) => targets.get(id),
    // Only what this process can deliver: on a shared PostgreSQL queue, processes may differ.
    destinationIds: [...targets.keys()],
    clock: systemClock,
    random: Math.random,
    workerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    concurrency: options.concurrency ?? 8,
    // Short leases (renewed while a call runs) so a killed process's jobs come back within seconds.
    leaseMs: 10_000,
    pollMs: options.pollMs ?? 100,
    logger: logger.child({ component: 'delivery' }),
    onSettled: (attempt) => deliveryMetrics.onSettled(attempt),
    ...(options.ratePacing === false ? {} : { pacer: createRatePacer() }),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });

  const mappings = new Map(config.destinations.map((d) => [d.id, d.mapping]));
  const sources = new Map<string, Source>();
  for (const d of config.destinations) {
    for (const s of d.sources) sources.set(s.writeKey, { sourceId: s.sourceId, destinationId: d.id });
  }
  const app = createIngestApp({
    sources,
    // Concurrent requests share one transaction and one fsync (I-5 at speed).
    // Events that can never cost an Intercom call (page, screen, alias, no identity) are counted, not queued.
    enqueuer: skipAtIngest({
      store: createGroupCommit(store),
      settings: (id) => mappings.get(id),
      onSkipped: (id, reason, count) => deliveryMetrics.skippedAtIngest(id, reason, count),
    }),
    metrics: ingestMetrics,
    cors: { origins: config.corsOrigins },
    logger: logger.child({ component: 'ingest' }),
    // Health answers for ingestion: it stays `ok` while events can be stored, even when a destination
    // is paused, so a load balancer never turns away traffic that would be kept. Pauses are shown per
    // destination: `paused` (token rejected, waiting for a probe) or `rate_limited` (until the reset).
    health: async (): Promise<HealthReport> => {
      const now = Date.now();
      const [paused, depth] = await Promise.all([store.pausedDestinations(now), store.queueDepth(now)]);
      return {
        ok: true,
        intercom: config.sandbox !== undefined ? 'sandbox' : 'intercom',
        delivery: paused.some((p) => p.untilMs === undefined) ? 'paused' : 'running',
        destinations: config.destinations.map((d) => {
          const pause = paused.find((p) => p.destinationId === d.id);
          const counts = depth.find((q) => q.destinationId === d.id);
          return {
            id: d.id,
            status:
              pause === undefined ? 'delivering' : pause.untilMs === undefined ? 'paused' : 'rate_limited',
            ...(pause !== undefined ? { reason: pause.reason } : {}),
            ...(pause?.untilMs !== undefined ? { until: new Date(pause.untilMs).toISOString() } : {}),
            pending: counts?.pending ?? 0,
            parked: counts?.parked ?? 0,
            deadLetters: counts?.deadLetters ?? 0,
          };
        }),
      };
    },
  });
  const ingestUrl = await app.listen({ port: config.port, host: config.host });
  // The worker claims only the destinations configured here; say once which queued jobs it leaves.
  for (const depth of await store.queueDepth(Date.now())) {
    if (!isHeldForOthers(depth, targets)) continue;
    logger.warn(
      { destinationId: depth.destinationId, queued: depth.pending + depth.parked },
      'queued jobs of a destination this process does not deliver are left for one that does',
    );
  }
  worker.start();

  return {
    ingestUrl,
    failed: queue.failed,
    ...(sandboxUrl !== undefined ? { sandboxUrl } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
    async close() {
      await app.close();
      await worker.stop();
      await queue.close();
      await sandbox?.close();
    },
  };
}
