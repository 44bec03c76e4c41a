import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock/clock.js';
import type { ConsoleDestination, ConsoleOptions, OAuthOptions } from '../console/console-options.js';
import { createFlowRecorder, type FlowRecorder } from '../console/flow/flow-recorder.js';
import { createPrometheusRateLimit, createPrometheusTotals } from '../console/flow/prometheus-totals.js';
import { NOT_CONNECTED_REASON } from '../console/oauth/oauth-routes.js';
import { createRecentFailures, type RecentFailures } from '../console/recent-failures.js';
import { createTokenSealer } from '../console/token-sealer.js';
import { createTokenVault, type TokenVault } from '../console/token-vault.js';
import type { JobStore } from '../delivery/store/job-store.js';
import type { SettledAttempt } from '../delivery/worker/worker-options.js';
import { regionBaseUrl } from '../intercom/region.js';
import type { ServeConfig } from './config.js';
import type { DestinationConfig } from './destinations-file.js';
import { diagnose } from './doctor-command.js';

/** Intercom's authorize pages, per region (docs/intercom.md, OAuth). */
const AUTHORIZE_HOSTS = {
  us: 'https://app.intercom.com',
  eu: 'https://app.eu.intercom.com',
  au: 'https://app.au.intercom.com',
};

/** How often every process reads the stored OAuth tokens again (a token connected elsewhere arrives within this). */
const TOKEN_REFRESH_MS = 5_000;

/** The console's parts that live beside delivery: the token vault, the history recorder, recent failures. */
export interface ConsoleWiring {
  /** The console's options, or undefined when it is off (no ADMIN_TOKEN). */
  readonly options: ConsoleOptions | undefined;
  /** The OAuth token of a destination (delivery reads it before every call). */
  readonly oauthTokenFor: (destinationId: string) => string | undefined;
  /** For the worker's `onSettled`: keeps failed attempts for the console. */
  onSettled(attempt: SettledAttempt): void;
  /** Reads stored tokens, pauses OAuth destinations that have none, starts the timers. */
  start(): Promise<void>;
  /** Stops the timers and stores the last partial minute of history. */
  stop(): Promise<void>;
}

/** A destination as the console sees it; in sandbox mode its API is the in-process sandbox, as for delivery. */
function consoleDestination(d: DestinationConfig, sandboxUrl: () => string | undefined): ConsoleDestination {
  return {
    id: d.id,
    region: d.region,
    apiBaseUrl: () => d.apiBaseUrl ?? sandboxUrl(),
    apiVersion: d.apiVersion,
    ...(d.appId === undefined ? {} : { appId: d.appId }),
    tokenSource: d.tokenSource ?? 'environment',
    configuredToken: d.accessToken,
  };
}

function oauthOptions(
  config: ServeConfig,
  vault: TokenVault,
  sandboxUrl: () => string | undefined,
): OAuthOptions | undefined {
  const { oauthClient, authorizeUrl, tokenUrl, secretKey } = config.console;
  if (oauthClient === undefined) return undefined;
  return {
    ...oauthClient,
    // In sandbox mode the in-process sandbox plays Intercom's OAuth pages too.
    authorizeUrl: (d) => {
      const sandbox = sandboxUrl();
      return (
        authorizeUrl ?? (sandbox === undefined ? `${AUTHORIZE_HOSTS[d.region]}/oauth` : `${sandbox}/oauth`)
      );
    },
    tokenUrl: (d) => tokenUrl ?? `${sandboxUrl() ?? regionBaseUrl(d.region)}/auth/eagle/token`,
    revokeUrl: (d) => `${d.apiBaseUrl() ?? regionBaseUrl(d.region)}/auth/uninstall`,
    vault,
    canStore: secretKey !== undefined,
    fetch: (url, init) => fetch(url, init),
  };
}

/** What the console's parts are built from. */
interface ConsoleParts {
  readonly store: JobStore;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The in-process sandbox's URL once it listens (it starts after ingestion binds), else undefined. */
  readonly sandboxUrl: () => string | undefined;
}

/** The console's options (undefined without ADMIN_TOKEN). */
function consoleOptions(
  config: ServeConfig,
  parts: ConsoleParts,
  shared: { readonly vault: TokenVault; readonly flow: FlowRecorder; readonly failures: RecentFailures },
): ConsoleOptions | undefined {
  const { adminToken, publicUrl } = config.console;
  if (adminToken === undefined) return undefined;
  const { store, registry, clock } = parts;
  const { vault } = shared;
  const oauth = oauthOptions(config, vault, parts.sandboxUrl);
  // The doctor checks OAuth destinations with the token connected now.
  const withTokens = (): ServeConfig => ({
    ...config,
    destinations: config.destinations.map((d) =>
      d.tokenSource === 'oauth' ? { ...d, accessToken: vault.tokenFor(d.id) ?? '' } : d,
    ),
  });
  return {
    adminToken,
    destinations: config.destinations.map((d) => consoleDestination(d, parts.sandboxUrl)),
    store,
    flow: shared.flow,
    failures: shared.failures,
    live: { rateLimit: createPrometheusRateLimit(registry) },
    doctor: { run: () => diagnose(withTokens(), store, { fetch: (url, init) => fetch(url, init), clock }) },
    ...(oauth === undefined ? {} : { oauth }),
    clock,
    ...(publicUrl === undefined ? {} : { publicUrl }),
  };
}

/** An error's class name only: a message might quote a token. */
function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** Builds the console's parts for a configuration; the recorder and vault start with `start()`. */
export function wireConsole(config: ServeConfig, parts: ConsoleParts): ConsoleWiring {
  const { store, registry, clock, logger } = parts;
  const { secretKey } = config.console;
  const vault = createTokenVault(store, secretKey === undefined ? undefined : createTokenSealer(secretKey));
  const failures = createRecentFailures();
  const sources = new Map(
    config.destinations.flatMap((d) => d.sources.map((s) => [s.sourceId, d.id] as const)),
  );
  const flow = createFlowRecorder({ totals: createPrometheusTotals(registry, sources), store, clock });
  const options = consoleOptions(config, parts, { vault, flow, failures });
  return {
    options,
    oauthTokenFor: (id) => vault.tokenFor(id),
    onSettled: ({ job, record }) => failures.note(job, record),
    async start() {
      const warn = (error: unknown): void =>
        logger.warn({ error: nameOf(error) }, 'reading the stored OAuth tokens failed');
      await vault.refresh().catch(warn);
      vault.start(TOKEN_REFRESH_MS, warn);
      for (const destinationId of vault.unreadable()) {
        logger.error(
          { destinationId },
          'the stored OAuth token does not open with this SECRET_KEY: connect Intercom again',
        );
      }
      for (const d of config.destinations) {
        if (d.tokenSource !== 'oauth' || vault.tokenFor(d.id) !== undefined) continue;
        await store.pauseDestination(d.id, undefined, NOT_CONNECTED_REASON, clock.now());
        logger.warn(
          { destinationId: d.id },
          'no Intercom token connected yet: delivery waits (connect it from /console)',
        );
      }
      // The history is recorded only while the console is on, which is what shows it.
      if (options !== undefined)
        flow.start((error) => logger.warn({ error: nameOf(error) }, 'storing the console history failed'));
    },
    async stop() {
      vault.stop();
      if (options !== undefined) await flow.stop();
    },
  };
}
