import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Env } from './command.js';
import { readDatabaseUrl, readPoolSize } from './database-config.js';
import { type DeliverySettings, readDeliverySettings } from './delivery-config.js';
import { type DestinationConfig, parseDestinationsFile } from './destinations-file.js';
import { type ConsoleSettings, readConsoleSettings } from './console-config.js';
import { parseList, readPort } from './env-values.js';
import { checkSourceSecrets, webhookSecretProblem } from './source-config.js';
import { type IntercomVariables, readIntercomVariables, variablesDestination } from './intercom-variables.js';

/** Everything `serve` needs, read once from the environment (and DESTINATIONS_FILE). */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  /** Set when delivery goes to the in-process sandbox (no Intercom token and no API URL given). */
  readonly sandbox?: { readonly port: number };
  /** The Intercom workspaces and their sources; in sandbox mode one, whose API URL is the sandbox's. */
  readonly destinations: readonly DestinationConfig[];
  /** True when no SEGMENT_WRITE_KEY was given and the local default key is in use (sandbox only). */
  readonly defaultWriteKey: boolean;
  /** Where the SQLite queue lives (one `serve` per directory); unused when `databaseUrl` is set. */
  readonly dataDir: string;
  /**
   * A `postgres://` URL (DATABASE_URL): the queue lives in PostgreSQL, shared by any number of `serve`
   * processes on any number of machines. It may hold a password: never log or print it whole.
   */
  readonly databaseUrl?: string;
  /** Connections this process opens to PostgreSQL at most (DATABASE_POOL_SIZE, default 10). */
  readonly databasePoolSize: number;
  /** Worker concurrency and lease time (DELIVERY_CONCURRENCY, DELIVERY_LEASE_SECONDS). */
  readonly delivery: DeliverySettings;
  readonly corsOrigins: readonly string[] | '*';
  readonly logLevel: string;
  /** Device mode's "Custom Inbox Button Selector" (D-9), used by the demo page; default `#IntercomDefaultWidget`. */
  readonly activator?: string;
  /**
   * The operator console and connecting Intercom with OAuth. Its ADMIN_TOKEN is also the Bearer
   * credential of the admin routes (`/v1/replay`, `/v1/deletions`), which answer 404 without it.
   */
  readonly console: ConsoleSettings;
}

/** The destination configured by the INTERCOM_* variables. */
export const DEFAULT_DESTINATION_ID = 'default';
/** The source of the SEGMENT_WRITE_KEY keys. */
export const DEFAULT_SOURCE_ID = 'default';
/** The bearer token used against the in-process sandbox. */
const SANDBOX_TOKEN = 'sandbox-token';

/** The write key a newcomer uses against the sandbox when none is configured. */
export const LOCAL_WRITE_KEY = 'local-write-key';

/** Thrown by `readServeConfig` with every problem found, so they are all reported at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the serve configuration from the environment. Problems are collected and thrown together
 * as one `ConfigError`, so an operator fixes them in one go. Secret values never appear in messages.
 */
export function readServeConfig(env: Env, cwd: string): ServeConfig {
  const problems: string[] = [];
  const port = readPort(env, 'PORT', 8787, problems);
  const sandboxPort = readPort(env, 'SANDBOX_PORT', 8788, problems);
  const vars = readIntercomVariables(env, problems);
  const fileDestinations = readDestinationsFile(env, cwd, problems);
  const consoleSettings = readConsoleSettings(env, problems);
  const sandboxMode = vars.token === '' && vars.apiUrl === undefined && fileDestinations === undefined;
  // With an OAuth client and no token, the INTERCOM_* destination is connected from the console.
  const oauth =
    consoleSettings.oauthClient !== undefined && vars.token === '' && fileDestinations === undefined;
  const writeKeys = parseList(env['SEGMENT_WRITE_KEY']);
  const webhookSecret = readWebhookSecretVariable(env, problems);
  const defaultWriteKey = sandboxMode && writeKeys.length === 0;
  checkAccess(vars, writeKeys.length > 0 || webhookSecret !== undefined, oauth && !sandboxMode, problems);
  // Port 0 asks for any free port: two of them never collide.
  if (sandboxMode && port === sandboxPort && port !== 0)
    problems.push(
      `PORT and SANDBOX_PORT are both ${port}: the ingestion server and the in-process sandbox need a port each`,
    );
  const destinations = [...(fileDestinations ?? [])];
  checkOAuthDestinations(destinations, consoleSettings, problems);
  // The single-tenant destination from INTERCOM_* variables sits beside the file's destinations.
  const fromVariables =
    sandboxMode || vars.token !== '' || oauth
      ? variablesDestination(DEFAULT_DESTINATION_ID, vars, {
          accessToken: oauth ? '' : sandboxMode ? SANDBOX_TOKEN : vars.token,
          tokenSource: oauth ? 'oauth' : sandboxMode ? 'sandbox' : 'environment',
          sourceId: DEFAULT_SOURCE_ID,
          writeKeys: defaultWriteKey ? [LOCAL_WRITE_KEY] : writeKeys,
          ...(webhookSecret === undefined ? {} : { webhookSecret }),
        })
      : undefined;
  if (fromVariables !== undefined) destinations.push(fromVariables);
  checkUnique(destinations, problems);
  const corsRaw = env['CORS_ORIGINS']?.trim();
  const databaseUrl = readDatabaseUrl(env, problems);
  const databasePoolSize = readPoolSize(env, problems);
  const delivery = readDeliverySettings(env, problems);
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host: env['HOST'] !== undefined && env['HOST'] !== '' ? env['HOST'] : '127.0.0.1',
    port,
    ...(sandboxMode ? { sandbox: { port: sandboxPort } } : {}),
    destinations,
    defaultWriteKey,
    dataDir: path.resolve(cwd, env['DATA_DIR'] ?? 'data'),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    databasePoolSize,
    delivery,
    corsOrigins: corsRaw === undefined || corsRaw === '*' || corsRaw === '' ? '*' : parseList(corsRaw),
    logLevel,
    ...(vars.activator !== undefined ? { activator: vars.activator } : {}),
    console: consoleSettings,
  };
}

/** A file destination with `"oauth": true` needs the OAuth client to connect it. */
function checkOAuthDestinations(
  destinations: readonly DestinationConfig[],
  settings: ConsoleSettings,
  problems: string[],
): void {
  for (const d of destinations) {
    if (d.tokenSource === 'oauth' && settings.oauthClient === undefined)
      problems.push(
        `destination ${d.id} takes its token from OAuth: set INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET`,
      );
  }
}

/**
 * A real workspace needs a token to call its API (or an OAuth client to connect one), and write keys
 * (or a webhook secret) to accept events for it.
 */
function checkAccess(
  vars: IntercomVariables,
  acceptsEvents: boolean,
  oauth: boolean,
  problems: string[],
): void {
  if (vars.token === '' && vars.apiUrl !== undefined && !oauth) {
    problems.push('INTERCOM_API_URL is set but INTERCOM_ACCESS_TOKEN is not: a token is required to call it');
  }
  if ((vars.token !== '' || oauth) && !acceptsEvents) {
    problems.push(
      'SEGMENT_WRITE_KEY is required when delivering to a real Intercom workspace (comma-separated list of accepted keys), or SEGMENT_WEBHOOK_SECRET to take events from a Segment workspace',
    );
  }
}

/** I-7: SEGMENT_WEBHOOK_SECRET, the single-tenant source's webhook secret (never quoted in a problem). */
function readWebhookSecretVariable(env: Env, problems: string[]): string | undefined {
  const secret = env['SEGMENT_WEBHOOK_SECRET'];
  if (secret === undefined || secret === '') return undefined;
  const problem = webhookSecretProblem(secret);
  if (problem !== undefined) problems.push(`SEGMENT_WEBHOOK_SECRET ${problem}`);
  return problem === undefined ? secret : undefined;
}

/** Destination ids are unique, and a write key or webhook secret belongs to one destination only. */
function checkUnique(destinations: readonly DestinationConfig[], problems: string[]): void {
  const ids = new Set<string>();
  for (const d of destinations) {
    if (ids.has(d.id))
      problems.push(
        `destination id "${d.id}" is used twice (the INTERCOM_* variables configure "${DEFAULT_DESTINATION_ID}")`,
      );
    ids.add(d.id);
  }
  const sources = destinations.flatMap((d) =>
    d.sources.map((s) => ({ owner: `destination ${d.id}`, source: s })),
  );
  checkSourceSecrets(sources, problems);
}

/** Reads and parses DESTINATIONS_FILE when set; problems go to the shared list. */
function readDestinationsFile(env: Env, cwd: string, problems: string[]): DestinationConfig[] | undefined {
  const file = env['DESTINATIONS_FILE'];
  if (file === undefined || file === '') return undefined;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (error: unknown) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    problems.push(`DESTINATIONS_FILE ${JSON.stringify(file)} ${why}`);
    return [];
  }
  const parsed = parseDestinationsFile(document, env);
  if ('errors' in parsed) {
    problems.push(...parsed.errors.map((e) => `DESTINATIONS_FILE: ${e}`));
    return [];
  }
  return parsed.destinations;
}
