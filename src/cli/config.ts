import path from 'node:path';
import type { Env } from './command.js';
import type { MappingSettings } from '../mapping/settings.js';
import { parseMappingSettings, readBoolean } from './mapping-settings-config.js';

/** Intercom regions and their REST hosts (BEHAVIOR.md settings table). */
export type Region = 'us' | 'eu' | 'au';

/** Where delivery sends requests: a real Intercom workspace or the in-process sandbox. */
export type IntercomTarget =
  | {
      readonly kind: 'intercom';
      readonly accessToken: string;
      readonly region: Region;
      /** Set when INTERCOM_API_URL overrides the region's host. */
      readonly apiBaseUrl?: string;
    }
  | { readonly kind: 'sandbox'; readonly port: number };

/** Everything `serve` needs, read once from the environment. */
export interface ServeConfig {
  readonly host: string;
  readonly port: number;
  /** Accepted write keys (never logged). */
  readonly writeKeys: readonly string[];
  /** True when no SEGMENT_WRITE_KEY was given and the local default key is in use (sandbox only). */
  readonly defaultWriteKey: boolean;
  readonly intercom: IntercomTarget;
  readonly apiVersion: string;
  readonly appId?: string;
  readonly dataDir: string;
  readonly corsOrigins: readonly string[] | '*';
  readonly logLevel: string;
  /** Settings that change the mapping (collectContext, richLinkProperties, …). */
  readonly mapping: MappingSettings;
  /** `isBulkAPIEnabled`: coalesce adjacent identifies of a user and groups of a company (BEHAVIOR.md). */
  readonly bulkApiEnabled: boolean;
}

/** The write key a newcomer uses against the sandbox when none is configured. */
export const LOCAL_WRITE_KEY = 'local-write-key';

/** Thrown by `readServeConfig` with every problem found, so they are all reported at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const REGIONS: readonly Region[] = ['us', 'eu', 'au'];
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
  const apiUrl = readUrl(env, 'INTERCOM_API_URL', problems);
  const regionRaw = (env['INTERCOM_REGION'] ?? 'us').toLowerCase();
  const region = REGIONS.find((r) => r === regionRaw);
  if (region === undefined)
    problems.push(`INTERCOM_REGION must be one of us, eu, au, got ${JSON.stringify(env['INTERCOM_REGION'])}`);

  const apiVersion = env['INTERCOM_API_VERSION'] ?? '2.16';
  if (!/^\d+\.\d+$/.test(apiVersion) && apiVersion !== 'Preview') {
    problems.push(`INTERCOM_API_VERSION must look like 2.16, got ${JSON.stringify(apiVersion)}`);
  }

  let intercom: IntercomTarget;
  if (token === '' && apiUrl === undefined) {
    intercom = { kind: 'sandbox', port: sandboxPort };
  } else if (token === '') {
    problems.push('INTERCOM_API_URL is set but INTERCOM_ACCESS_TOKEN is not: a token is required to call it');
    intercom = { kind: 'sandbox', port: sandboxPort };
  } else {
    intercom = {
      kind: 'intercom',
      accessToken: token,
      region: region ?? 'us',
      ...(apiUrl !== undefined ? { apiBaseUrl: apiUrl } : {}),
    };
  }

  const writeKeys = parseList(env['SEGMENT_WRITE_KEY']);
  const defaultWriteKey = writeKeys.length === 0;
  if (defaultWriteKey && intercom.kind === 'intercom') {
    problems.push(
      'SEGMENT_WRITE_KEY is required when delivering to a real Intercom workspace (comma-separated list of accepted keys)',
    );
  }

  const corsRaw = env['CORS_ORIGINS'];
  const corsOrigins =
    corsRaw === undefined || corsRaw.trim() === '*' || corsRaw.trim() === '' ? '*' : parseList(corsRaw);

  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`);

  const mapping = parseMappingSettings(env);
  if ('errors' in mapping) problems.push(...mapping.errors);
  const bulkApiEnabled = readBoolean(env, 'INTERCOM_IS_BULK_API_ENABLED', false, problems);

  if (problems.length > 0 || 'errors' in mapping) throw new ConfigError(problems);
  const appId = env['INTERCOM_APP_ID'];
  return {
    host,
    port,
    writeKeys: defaultWriteKey ? [LOCAL_WRITE_KEY] : writeKeys,
    defaultWriteKey,
    intercom,
    apiVersion,
    ...(appId !== undefined && appId !== '' ? { appId } : {}),
    dataDir: path.resolve(cwd, env['DATA_DIR'] ?? 'data'),
    corsOrigins,
    logLevel,
    mapping: mapping.settings,
    bulkApiEnabled,
  };
}
