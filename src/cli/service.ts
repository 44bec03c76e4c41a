import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { ServeConfig } from './config.js';
import { DeliveryWorker, type DeliveryTarget } from '../delivery/worker.js';
import { openSqliteStore, sqliteStorePath } from '../delivery/sqlite-store.js';
import type { DeliveryPolicy } from '../delivery/policy.js';
import { IntercomClient } from '../intercom/client.js';
import { createExecutor } from '../intercom/executor.js';
import { createMemoryIdCache, type IdCache } from '../intercom/id-cache.js';
import { mapEvent } from '../mapping/map-event.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { createIngestApp } from '../server/app.js';
import type { HealthReport } from '../server/health-route.js';

/** The one destination of single-tenant configuration. */
export const DEFAULT_DESTINATION_ID = 'default';
/** The one source of single-tenant configuration. */
export const DEFAULT_SOURCE_ID = 'default';

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

/** Wires store, mapping, executor, worker, ingestion and (optionally) the sandbox from a configuration. */
export async function startService(config: ServeConfig, options: ServiceOptions): Promise<RunningService> {
  const { logger } = options;
  let sandbox: Sandbox | undefined;
  let sandboxUrl: string | undefined;
  let apiBaseUrl: string | undefined;
  let accessToken: string;
  if (config.intercom.kind === 'sandbox') {
    sandbox = await createSandbox({ appId: config.appId ?? 'sandbox', ...options.sandboxOptions });
    sandboxUrl = await sandbox.listen({ port: config.intercom.port, host: config.host });
    apiBaseUrl = sandboxUrl;
    accessToken = 'sandbox-token';
  } else {
    accessToken = config.intercom.accessToken;
    apiBaseUrl = config.intercom.apiBaseUrl;
  }

  const store = openSqliteStore({ path: sqliteStorePath(config.dataDir) });
  const client = new IntercomClient({
    accessToken,
    ...(config.intercom.kind === 'intercom' ? { region: config.intercom.region } : {}),
    ...(apiBaseUrl !== undefined ? { apiBaseUrl } : {}),
    apiVersion: config.apiVersion,
  });
  // TODO(#3): the durable SQLite id cache (C-IDN-3) once the store implements IdCache.
  const idCache: IdCache = createMemoryIdCache();
  const executor = createExecutor({
    client,
    idCache,
    destinationId: DEFAULT_DESTINATION_ID,
    createMissingAttributes: config.mapping.createMissingAttributes,
  });
  const target: DeliveryTarget = {
    map: (event) => mapEvent(event, config.mapping),
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
  const worker = new DeliveryWorker({
    store,
    destinations: (id) => (id === DEFAULT_DESTINATION_ID ? target : undefined),
    clock: { now: () => Date.now() },
    random: Math.random,
    workerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    concurrency: options.concurrency ?? 8,
    // Short leases (renewed while a call runs) so a killed process's jobs come back within seconds.
    leaseMs: 10_000,
    pollMs: options.pollMs ?? 100,
    logger: logger.child({ component: 'delivery' }),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });

  const sources = new Map(
    config.writeKeys.map((key) => [
      key,
      { sourceId: DEFAULT_SOURCE_ID, destinationId: DEFAULT_DESTINATION_ID },
    ]),
  );
  const app = createIngestApp({
    sources,
    enqueuer: store,
    cors: { origins: config.corsOrigins },
    logger: logger.child({ component: 'ingest' }),
    health: async (): Promise<HealthReport> => {
      const paused = await store.pausedDestinations(Date.now());
      return {
        ok: paused.length === 0,
        intercom: config.intercom.kind,
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
