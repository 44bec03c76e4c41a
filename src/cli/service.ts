import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { ServeConfig } from './config.js';
import type { DestinationConfig } from './destinations-file.js';
import { DeliveryWorker, type DeliveryTarget } from '../delivery/worker.js';
import { createGroupCommit } from '../delivery/group-commit.js';
import { createDeliveryMetrics } from './metrics-wiring.js';
import { yieldBeforeClaims } from './yielding-claims.js';
import { createIngestMetrics } from '../server/metrics.js';
import type { FetchFunction } from '../intercom/client.js';
import { openSqliteStore, sqliteStorePath } from '../delivery/sqlite-store.js';
import type { DeliveryPolicy } from '../delivery/policy.js';
import { IntercomClient } from '../intercom/client.js';
import { createExecutor } from '../intercom/executor.js';
import type { IdCache } from '../intercom/id-cache.js';
import { mapEvent } from '../mapping/map-event.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { createIngestApp } from '../server/app.js';
import type { HealthReport } from '../server/health-route.js';
import type { Source } from '../server/write-key-auth.js';

/** A running service: ingestion, delivery worker and (without a token) the sandbox. */
export interface RunningService {
  readonly ingestUrl: string;
  /** Set when delivery goes to the in-process sandbox. */
  readonly sandboxUrl?: string;
  readonly sandbox?: Sandbox;
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
    sandbox = await createSandbox({ appId, ...options.sandboxOptions });
    sandboxUrl = await sandbox.listen({ port: config.sandbox.port, host: config.host });
  }

  const store = openSqliteStore({ path: sqliteStorePath(config.dataDir) });
  // One registry for GET /metrics: ingestion counters, delivery outcomes, Intercom calls, queue depth.
  const registry = new Registry();
  const ingestMetrics = createIngestMetrics(registry);
  const deliveryMetrics = createDeliveryMetrics(registry, store, () => Date.now());
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
    clock: { now: () => Date.now() },
    random: Math.random,
    workerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    concurrency: options.concurrency ?? 8,
    // Short leases (renewed while a call runs) so a killed process's jobs come back within seconds.
    leaseMs: 10_000,
    pollMs: options.pollMs ?? 100,
    logger: logger.child({ component: 'delivery' }),
    onSettled: (attempt) => deliveryMetrics.onSettled(attempt),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });

  const sources = new Map<string, Source>();
  for (const d of config.destinations) {
    for (const s of d.sources) sources.set(s.writeKey, { sourceId: s.sourceId, destinationId: d.id });
  }
  const app = createIngestApp({
    sources,
    // Concurrent requests share one transaction and one fsync (I-5 at speed).
    enqueuer: createGroupCommit(store),
    metrics: ingestMetrics,
    cors: { origins: config.corsOrigins },
    logger: logger.child({ component: 'ingest' }),
    health: async (): Promise<HealthReport> => {
      const paused = await store.pausedDestinations(Date.now());
      return {
        ok: paused.length === 0,
        intercom: config.sandbox !== undefined ? 'sandbox' : 'intercom',
        destinations: config.destinations.map((d) => d.id),
        paused: paused.map((p) => ({ destinationId: p.destinationId, reason: p.reason })),
      };
    },
  });
  const ingestUrl = await app.listen({ port: config.port, host: config.host });
  worker.start();

  return {
    ingestUrl,
    ...(sandboxUrl !== undefined ? { sandboxUrl } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
    async close() {
      await app.close();
      await worker.stop();
      await store.close();
      await sandbox?.close();
    },
  };
}
