import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { systemClock } from '../clock/clock.js';
import { createDeliveryMetrics, type DeliveryMetrics } from '../delivery/metrics/delivery-metrics.js';
import type { JobStore } from '../delivery/store/job-store.js';
import type { DeliveryPolicy } from '../delivery/worker/policy.js';
import { createRatePacer } from '../delivery/worker/rate-pacer.js';
import type { DeliveryTarget } from '../delivery/worker/delivery-target.js';
import { DeliveryWorker } from '../delivery/worker/worker.js';
import type { DeliveryWorkerOptions } from '../delivery/worker/worker-options.js';
import type { Sandbox, SandboxOptions } from '../sandbox/sandbox.js';
import { createIngestMetrics } from '../server/metrics.js';
import type { ServeConfig } from './config.js';
import { registerConsole } from '../console/console-plugin.js';
import { type ConsoleWiring, wireConsole } from './console-wiring.js';
import { createTargets } from './delivery-targets.js';
import { createIngestion } from './ingest-wiring.js';
import { isHeldForOthers, openServeQueue } from './queue.js';

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

/** Options that tests, benchmarks and embedders may set beside the configuration. */
export interface ServiceOptions {
  readonly logger: Logger;
  /** Idle poll interval of the worker (default 100 ms). */
  readonly pollMs?: number;
  /** Options of the in-process sandbox (tests share a validator, keep longer request logs). */
  readonly sandboxOptions?: SandboxOptions;
  /** Retry policy tunables (tests shorten the backoff). */
  readonly policy?: DeliveryPolicy;
  /** Proactive pacing from `X-RateLimit-*` (default true; benchmarks turn it off for their baseline). */
  readonly ratePacing?: boolean;
  /** The data directory's lock, already taken (`serve` takes it before loading the rest); released on close. */
  readonly dataDirLock?: () => void;
}

/** What a failed start has opened so far, closed in reverse order. */
type Opened = (() => Promise<void>)[];

/** Closes what a start opened, newest first; a failure to close one does not keep the others open. */
async function closeAll(opened: Opened): Promise<void> {
  for (const close of [...opened].reverse()) await close().catch(() => undefined);
}

/** Starts the in-process sandbox when the configuration delivers to it. */
async function startSandbox(
  config: ServeConfig,
  options: ServiceOptions,
  opened: Opened,
): Promise<{ readonly sandbox?: Sandbox; readonly sandboxUrl?: string }> {
  if (config.sandbox === undefined) return {};
  const appId = config.destinations[0]?.appId ?? 'sandbox';
  // Loaded only when used: the sandbox's modules (OpenAPI validator, routes) cost memory in production.
  const { createSandbox } = await import('../sandbox/sandbox.js');
  // Its failures go to the product's log (a 500 of the demo page would otherwise be invisible).
  const sandbox = await createSandbox({
    appId,
    logger: options.logger.child({ component: 'sandbox' }),
    ...options.sandboxOptions,
  });
  opened.push(() => sandbox.close());
  return { sandbox, sandboxUrl: await sandbox.listen({ port: config.sandbox.port, host: config.host }) };
}

/** The worker of this process: the configured destinations, its settings, a fresh id. */
function createWorker(
  config: ServeConfig,
  options: ServiceOptions,
  parts: Pick<DeliveryWorkerOptions, 'store' | 'onSettled'> & {
    readonly targets: ReadonlyMap<string, DeliveryTarget>;
  },
): DeliveryWorker {
  const { targets } = parts;
  return new DeliveryWorker({
    store: parts.store,
    destinations: (id) => targets.get(id),
    // Only what this process can deliver: on a shared PostgreSQL queue, processes may differ.
    destinationIds: [...targets.keys()],
    clock: systemClock,
    random: Math.random,
    workerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    concurrency: config.delivery.concurrency,
    leaseMs: config.delivery.leaseSeconds * 1000,
    pollMs: options.pollMs ?? 100,
    yieldBeforeClaims: true,
    logger: options.logger.child({ component: 'delivery' }),
    ...(parts.onSettled !== undefined ? { onSettled: parts.onSettled } : {}),
    ...(options.ratePacing === false ? {} : { pacer: createRatePacer() }),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });
}

/**
 * Wires store, mapping, executor, worker, ingestion and (optionally) the sandbox from a configuration.
 * The data directory is taken first, so a second `serve` stops before it binds a port. When a part
 * cannot start (the data directory held, a port in use), everything opened so far is closed before
 * the error is thrown, so the process can exit at once instead of serving nothing.
 */
export async function startService(config: ServeConfig, options: ServiceOptions): Promise<RunningService> {
  const opened: Opened = [];
  try {
    return await startParts(config, options, opened);
  } catch (error: unknown) {
    await closeAll(opened);
    throw error;
  }
}

async function startParts(
  config: ServeConfig,
  options: ServiceOptions,
  opened: Opened,
): Promise<RunningService> {
  const { logger } = options;
  const queue = await openServeQueue(config, logger, options.dataDirLock);
  opened.push(() => queue.close());
  const { store } = queue;
  // One registry for GET /metrics: ingestion counters, delivery outcomes, Intercom calls, queue depth.
  const registry = new Registry();
  const deliveryMetrics = createDeliveryMetrics(registry, store, systemClock);
  // The sandbox listens after ingestion binds (below); the console asks for its URL when it needs it.
  const sandboxAt: { url?: string } = {};
  const { app, ingestUrl, operatorConsole } = await openIngestion(
    config,
    { store, registry, deliveryMetrics, logger, sandboxUrl: () => sandboxAt.url },
    opened,
  );
  const { sandbox, sandboxUrl } = await startSandbox(config, options, opened);
  if (sandboxUrl !== undefined) sandboxAt.url = sandboxUrl;
  const targets = createTargets(config.destinations, {
    idCache: store.idCache,
    ...(sandboxUrl !== undefined ? { sandboxUrl } : {}),
    fetchFor: (id) => deliveryMetrics.wrapFetch(id, (url, init) => fetch(url, init)),
    oauthTokenFor: operatorConsole.oauthTokenFor,
  });
  const worker = createWorker(config, options, {
    store,
    targets,
    onSettled: (attempt) => {
      deliveryMetrics.onSettled(attempt);
      operatorConsole.onSettled(attempt);
    },
  });
  await operatorConsole.start();
  opened.push(() => operatorConsole.stop());
  await warnAboutOthersJobs(store, targets, logger);
  worker.start();
  return {
    ingestUrl,
    failed: queue.failed,
    ...(sandboxUrl !== undefined ? { sandboxUrl } : {}),
    ...(sandbox !== undefined ? { sandbox } : {}),
    async close() {
      await app.close();
      await worker.stop();
      await operatorConsole.stop();
      await queue.close();
      await sandbox?.close();
    },
  };
}

/** Ingestion with the console's routes (when ADMIN_TOKEN is set), listening. */
async function openIngestion(
  config: ServeConfig,
  parts: {
    readonly store: JobStore;
    readonly registry: Registry;
    readonly deliveryMetrics: DeliveryMetrics;
    readonly logger: Logger;
    readonly sandboxUrl: () => string | undefined;
  },
  opened: Opened,
): Promise<{ app: FastifyInstance; ingestUrl: string; operatorConsole: ConsoleWiring }> {
  const { store, registry, deliveryMetrics, logger } = parts;
  const operatorConsole = wireConsole(config, {
    store,
    registry,
    clock: systemClock,
    logger: logger.child({ component: 'console' }),
    sandboxUrl: parts.sandboxUrl,
  });
  const metrics = createIngestMetrics(registry);
  const app = createIngestion(config, { store, metrics, deliveryMetrics, logger, clock: systemClock });
  opened.push(() => app.close());
  registerConsole(app, operatorConsole.options);
  // Ingestion binds before the sandbox loads (seconds of OpenAPI parsing): a port in use fails fast.
  // Events accepted meanwhile are stored and wait for the worker.
  const ingestUrl = await app.listen({ port: config.port, host: config.host });
  return { app, ingestUrl, operatorConsole };
}

/** The worker claims only the destinations configured here; says once which queued jobs it leaves. */
async function warnAboutOthersJobs(
  store: JobStore,
  targets: ReadonlyMap<string, DeliveryTarget>,
  logger: Logger,
): Promise<void> {
  for (const depth of await store.queueDepth(systemClock.now())) {
    if (!isHeldForOthers(depth, targets)) continue;
    const queued = depth.pending + depth.parked;
    logger.warn(
      { destinationId: depth.destinationId, queued },
      'queued jobs of a destination this process does not deliver are left for one that does',
    );
  }
}
