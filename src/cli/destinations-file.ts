import type { Env } from './command.js';
import { readRetryHorizonHours } from './delivery-config.js';
import { type Region, isRegion } from '../intercom/region.js';
import type { MappingSettings } from '../mapping/settings.js';
import { type MappingSettingsResult, parseMappingSettings, readBoolean } from './mapping-settings-config.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../segment/json.js';
import { checkSourceSecrets, readSources, type SourceConfig } from './source-config.js';

export type { SourceConfig };

/** One Intercom workspace with its settings and the sources that deliver to it. */
export interface DestinationConfig {
  readonly id: string;
  /** Empty for a destination whose token comes from OAuth (`tokenSource: 'oauth'`). */
  readonly accessToken: string;
  /** Where the token comes from; the console shows it (absent: the configuration). */
  readonly tokenSource?: 'environment' | 'destinations_file' | 'sandbox' | 'oauth';
  readonly region: Region;
  readonly apiBaseUrl?: string;
  readonly apiVersion: string;
  readonly appId?: string;
  readonly mapping: MappingSettings;
  readonly bulkApiEnabled: boolean;
  /** L-1: how long transient failures are retried, from a job's first attempt (default 72). */
  readonly retryHorizonHours: number;
  readonly sources: readonly SourceConfig[];
}

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Destination settings in the file use BEHAVIOR.md's names (`collectContext`, `richLinkProperties`, …);
 * they are read through the same parser as the environment variables so both accept the same values.
 */
const SETTING_VARIABLES: Readonly<Record<string, string>> = {
  collectContext: 'INTERCOM_COLLECT_CONTEXT',
  richLinkProperties: 'INTERCOM_RICH_LINK_PROPERTIES',
  maxEventMetadataKeys: 'INTERCOM_MAX_EVENT_METADATA_KEYS',
  createMissingAttributes: 'INTERCOM_CREATE_MISSING_ATTRIBUTES',
  isBulkAPIEnabled: 'INTERCOM_IS_BULK_API_ENABLED',
  contactRoleWithoutUserId: 'INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID',
  retryHorizonHours: 'RETRY_HORIZON_HOURS',
};

function asSettingText(value: JsonValue): string {
  if (Array.isArray(value)) return value.map((v) => String(v)).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readString(
  obj: JsonObject,
  key: string,
  where: string,
  errors: string[],
  required: boolean,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    if (required) errors.push(`${where}.${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    errors.push(`${where}.${key} must be a non-empty string`);
    return undefined;
  }
  return value;
}

/** Resolves `accessToken`, or `accessTokenEnv` naming an environment variable that holds it. */
function readToken(obj: JsonObject, where: string, env: Env, errors: string[]): string | undefined {
  // `"oauth": true`: the token is connected from the console (INTERCOM_CLIENT_ID and _SECRET needed).
  if (obj['oauth'] === true) {
    if (obj['accessToken'] !== undefined || obj['accessTokenEnv'] !== undefined)
      errors.push(`${where}: give either "oauth": true or a token, not both`);
    return '';
  }
  const fromEnv = readString(obj, 'accessTokenEnv', where, errors, false);
  if (fromEnv !== undefined) {
    const token = env[fromEnv];
    if (token === undefined || token === '')
      errors.push(`${where}.accessTokenEnv names ${fromEnv}, which is not set`);
    return token;
  }
  return readString(obj, 'accessToken', where, errors, true);
}

/** A destination's `settings`, read through the same parser as the environment variables. */
function readSettings(
  raw: JsonObject,
  where: string,
  errors: string[],
): {
  readonly mapping: MappingSettingsResult;
  readonly bulkApiEnabled: boolean;
  readonly retryHorizonHours: number;
} {
  const settingsEnv: Record<string, string> = {};
  const settings = raw['settings'] ?? {};
  if (!isJsonObject(settings)) errors.push(`${where}.settings must be an object`);
  else {
    for (const [name, value] of Object.entries(settings)) {
      const variable = SETTING_VARIABLES[name];
      if (variable === undefined) errors.push(`${where}.settings.${name} is not a destination setting`);
      else settingsEnv[variable] = asSettingText(value);
    }
  }
  const settingErrors: string[] = [];
  const mapping = parseMappingSettings(settingsEnv);
  const bulkApiEnabled = readBoolean(settingsEnv, 'INTERCOM_IS_BULK_API_ENABLED', false, settingErrors);
  const retryHorizonHours = readRetryHorizonHours(settingsEnv, settingErrors);
  if ('errors' in mapping) settingErrors.push(...mapping.errors);
  errors.push(...settingErrors.map((e) => `${where}.settings: ${e}`));
  return { mapping, bulkApiEnabled, retryHorizonHours };
}

function readDestination(
  raw: JsonValue,
  index: number,
  env: Env,
  errors: string[],
): DestinationConfig | undefined {
  const where = `destinations[${index}]`;
  if (!isJsonObject(raw)) {
    errors.push(`${where} must be an object`);
    return undefined;
  }
  const id = readString(raw, 'id', where, errors, true);
  if (id !== undefined && !ID_PATTERN.test(id))
    errors.push(`${where}.id must be 1-64 letters, digits, '_', '.' or '-'`);
  const accessToken = readToken(raw, where, env, errors);
  const regionRaw = readString(raw, 'region', where, errors, false) ?? 'us';
  const region = isRegion(regionRaw) ? regionRaw : undefined;
  if (region === undefined) errors.push(`${where}.region must be one of us, eu, au`);
  const apiBaseUrl = readString(raw, 'apiBaseUrl', where, errors, false);
  if (apiBaseUrl !== undefined && !/^https?:\/\//.test(apiBaseUrl))
    errors.push(`${where}.apiBaseUrl must be an http(s) URL`);
  const apiVersion = readString(raw, 'apiVersion', where, errors, false) ?? '2.16';
  const appId = readString(raw, 'appId', where, errors, false);
  const { mapping, bulkApiEnabled, retryHorizonHours } = readSettings(raw, where, errors);
  const sources = readSources(raw, where, env, errors);
  if (id === undefined || accessToken === undefined || region === undefined || 'errors' in mapping)
    return undefined;
  return {
    id,
    accessToken,
    tokenSource: raw['oauth'] === true ? 'oauth' : 'destinations_file',
    region,
    ...(apiBaseUrl !== undefined ? { apiBaseUrl: apiBaseUrl.replace(/\/+$/, '') } : {}),
    apiVersion,
    ...(appId !== undefined ? { appId } : {}),
    mapping: mapping.settings,
    bulkApiEnabled,
    retryHorizonHours,
    sources,
  };
}

/**
 * Parses a DESTINATIONS_FILE document: `{"destinations": [{id, accessToken | accessTokenEnv | oauth,
 * region?, apiBaseUrl?, apiVersion?, appId?, settings?, sources: [{id, writeKey?, webhookSecret? |
 * webhookSecretEnv?}]}]}`. Every problem is reported; secrets never appear in a message. A write key
 * or webhook secret may belong to one source only, so one source's events can never reach another
 * workspace.
 */
export function parseDestinationsFile(
  document: unknown,
  env: Env,
): { destinations: DestinationConfig[] } | { errors: string[] } {
  const errors: string[] = [];
  if (!isJsonObject(document) || !Array.isArray(document['destinations'])) {
    return { errors: ['DESTINATIONS_FILE must hold {"destinations": [...]}'] };
  }
  const list: readonly JsonValue[] = document['destinations'];
  const destinations = list
    .map((raw, i) => readDestination(raw, i, env, errors))
    .filter((d): d is DestinationConfig => d !== undefined);
  const ids = new Set<string>();
  const sourceIds = new Set<string>();
  for (const d of destinations) {
    if (ids.has(d.id)) errors.push(`destination id ${d.id} is used twice`);
    ids.add(d.id);
    for (const s of d.sources) {
      if (sourceIds.has(s.sourceId)) errors.push(`source id ${s.sourceId} is used twice`);
      sourceIds.add(s.sourceId);
    }
  }
  const sources = destinations.flatMap((d) =>
    d.sources.map((s) => ({ owner: `source ${s.sourceId}`, source: s })),
  );
  checkSourceSecrets(sources, errors);
  return errors.length > 0 ? { errors } : { destinations };
}
