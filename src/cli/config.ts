import path from 'node:path';
import { isRegion } from '../intercom/region.js';
import type { Env } from './command.js';
import { parseMappingSettings, readBoolean } from './mapping-settings-config.js';
import { parseDestinationsFile, type DestinationConfig } from './destinations-file.js';
import { readFileSync } from 'node:fs';

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
  readonly corsOrigins: readonly string[] | '*';
  readonly logLevel: string;
  /** Device mode's "Custom Inbox Button Selector" (D-9), used by the demo page; default `#IntercomDefaultWidget`. */
  readonly activator?: string;
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

/** Reads a TCP port, recording a problem for anything but an integer in 0..65535. */
function readPort(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return port;
}

/** Splits a comma-separated list, trimming blanks. */
export function parseList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Reads DATABASE_URL, recording a problem unless it is a postgres:// (or postgresql://) URL. The value
 * is never quoted in the problem: it may carry a password.
 */
export function readDatabaseUrl(env: Env, problems: string[]): string | undefined {
  const raw = env['DATABASE_URL'];
  if (raw === undefined || raw.trim() === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') ||
    url.host === ''
  ) {
    problems.push('DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:port/database');
    return undefined;
  }
  return raw.trim();
}

/**
 * DATABASE_POOL_SIZE: each `serve` process holds up to this many PostgreSQL connections (the worker's
 * lanes, group commits, health and metrics share them). Processes × pool size must stay under the
 * server's `max_connections` (100 by default).
 */
function readPoolSize(env: Env, problems: string[]): number {
  const raw = env['DATABASE_POOL_SIZE'];
  if (raw === undefined || raw.trim() === '') return 10;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 2 || size > 1000) {
    problems.push(`DATABASE_POOL_SIZE must be a whole number from 2 to 1000, got ${JSON.stringify(raw)}`);
    return 10;
  }
  return size;
}

/** A PostgreSQL URL without its credentials (user and password), for banners and logs. */
export function describeDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

function readUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('protocol');
    return raw.replace(/\/+$/, '');
  } catch {
    problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
    return undefined;
  }
}

/**
 * Reads the serve configuration from the environment. Problems are collected and thrown together
 * as one `ConfigError`, so an operator fixes them in one go. Secret values never appear in messages.
 */
export function readServeConfig(env: Env, cwd: string): ServeConfig {
  const problems: string[] = [];
  const port = readPort(env, 'PORT', 8787, problems);
  const sandboxPort = readPort(env, 'SANDBOX_PORT', 8788, problems);
  const host = env['HOST'] !== undefined && env['HOST'] !== '' ? env['HOST'] : '127.0.0.1';

  const token = env['INTERCOM_ACCESS_TOKEN'] ?? '';
  // INTERCOM_API_BASE_URL is the settings table's `apiBaseUrl` in INTERCOM_ + upper snake case;
  // INTERCOM_API_URL is the shorter name the README uses. Either works; two different values do not.
  const apiUrlShort = readUrl(env, 'INTERCOM_API_URL', problems);
  const apiUrlLong = readUrl(env, 'INTERCOM_API_BASE_URL', problems);
  if (apiUrlShort !== undefined && apiUrlLong !== undefined && apiUrlShort !== apiUrlLong) {
    problems.push('INTERCOM_API_URL and INTERCOM_API_BASE_URL are both set, to different URLs: set one');
  }
  const apiUrl = apiUrlShort ?? apiUrlLong;
  const activator = env['INTERCOM_ACTIVATOR'];
  if (activator !== undefined && activator.trim() === '')
    problems.push('INTERCOM_ACTIVATOR must be a CSS selector, not blank');
  const regionRaw = (env['INTERCOM_REGION'] ?? 'us').toLowerCase();
  const region = isRegion(regionRaw) ? regionRaw : undefined;
  if (region === undefined)
    problems.push(`INTERCOM_REGION must be one of us, eu, au, got ${JSON.stringify(env['INTERCOM_REGION'])}`);

  const apiVersion = env['INTERCOM_API_VERSION'] ?? '2.16';
  if (!/^\d+\.\d+$/.test(apiVersion) && apiVersion !== 'Preview') {
    problems.push(`INTERCOM_API_VERSION must look like 2.16, got ${JSON.stringify(apiVersion)}`);
  }

  const mapping = parseMappingSettings(env);
  if ('errors' in mapping) problems.push(...mapping.errors);
  const bulkApiEnabled = readBoolean(env, 'INTERCOM_IS_BULK_API_ENABLED', false, problems);

  const fileDestinations = readDestinationsFile(env, cwd, problems);
  const writeKeys = parseList(env['SEGMENT_WRITE_KEY']);
  const sandboxMode = token === '' && apiUrl === undefined && fileDestinations === undefined;
  if (token === '' && apiUrl !== undefined) {
    problems.push('INTERCOM_API_URL is set but INTERCOM_ACCESS_TOKEN is not: a token is required to call it');
  }
  if (token !== '' && writeKeys.length === 0) {
    problems.push(
      'SEGMENT_WRITE_KEY is required when delivering to a real Intercom workspace (comma-separated list of accepted keys)',
    );
  }
  const defaultWriteKey = sandboxMode && writeKeys.length === 0;

  const destinations: DestinationConfig[] = [...(fileDestinations ?? [])];
  // The single-tenant destination from INTERCOM_* variables sits beside the file's destinations.
  if ((sandboxMode || token !== '') && !('errors' in mapping)) {
    destinations.push({
      id: DEFAULT_DESTINATION_ID,
      accessToken: sandboxMode ? SANDBOX_TOKEN : token,
      region: region ?? 'us',
      ...(apiUrl !== undefined ? { apiBaseUrl: apiUrl } : {}),
      apiVersion,
      ...(env['INTERCOM_APP_ID'] !== undefined && env['INTERCOM_APP_ID'] !== ''
        ? { appId: env['INTERCOM_APP_ID'] }
        : {}),
      mapping: mapping.settings,
      bulkApiEnabled,
      sources: (defaultWriteKey ? [LOCAL_WRITE_KEY] : writeKeys).map((writeKey) => ({
        sourceId: DEFAULT_SOURCE_ID,
        writeKey,
      })),
    });
  }
  const taken = new Map<string, string>();
  const ids = new Set<string>();
  for (const d of destinations) {
    if (ids.has(d.id))
      problems.push(
        `destination id "${d.id}" is used twice (the INTERCOM_* variables configure "${DEFAULT_DESTINATION_ID}")`,
      );
    ids.add(d.id);
    for (const s of d.sources) {
      const owner = taken.get(s.writeKey);
      if (owner !== undefined && owner !== d.id)
        problems.push(`a write key of destination ${d.id} is also used by destination ${owner}`);
      taken.set(s.writeKey, d.id);
    }
  }

  const corsRaw = env['CORS_ORIGINS'];
  const corsOrigins =
    corsRaw === undefined || corsRaw.trim() === '*' || corsRaw.trim() === '' ? '*' : parseList(corsRaw);

  const databaseUrl = readDatabaseUrl(env, problems);
  const databasePoolSize = readPoolSize(env, problems);

  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    host,
    port,
    ...(sandboxMode ? { sandbox: { port: sandboxPort } } : {}),
    destinations,
    defaultWriteKey,
    dataDir: path.resolve(cwd, env['DATA_DIR'] ?? 'data'),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    databasePoolSize,
    corsOrigins,
    logLevel,
    ...(activator !== undefined && activator.trim() !== '' ? { activator: activator.trim() } : {}),
  };
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
