import { isRegion, type Region } from '../intercom/region.js';
import type { Env } from './command.js';
import { readRetryHorizonHours } from './delivery-config.js';
import type { DestinationConfig } from './destinations-file.js';
import { readUrl } from './env-values.js';
import { type MappingSettingsResult, parseMappingSettings, readBoolean } from './mapping-settings-config.js';

/** The single-tenant destination's settings, from the INTERCOM_* variables. */
export interface IntercomVariables {
  /** INTERCOM_ACCESS_TOKEN; empty when unset. A secret: never in a message. */
  readonly token: string;
  readonly apiUrl?: string;
  /** Device mode's "Custom Inbox Button Selector" (D-9), trimmed. */
  readonly activator?: string;
  readonly region?: Region;
  readonly apiVersion: string;
  readonly appId?: string;
  readonly mapping: MappingSettingsResult;
  readonly bulkApiEnabled: boolean;
  /** RETRY_HORIZON_HOURS (L-1). */
  readonly retryHorizonHours: number;
}

/** Reads the INTERCOM_* variables; problems go to the shared list, in the order an operator reads them. */
export function readIntercomVariables(env: Env, problems: string[]): IntercomVariables {
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
  const appId = env['INTERCOM_APP_ID'];
  return {
    token: env['INTERCOM_ACCESS_TOKEN'] ?? '',
    ...(apiUrl !== undefined ? { apiUrl } : {}),
    ...(activator !== undefined && activator.trim() !== '' ? { activator: activator.trim() } : {}),
    ...(region !== undefined ? { region } : {}),
    apiVersion,
    ...(appId !== undefined && appId !== '' ? { appId } : {}),
    mapping,
    bulkApiEnabled: readBoolean(env, 'INTERCOM_IS_BULK_API_ENABLED', false, problems),
    retryHorizonHours: readRetryHorizonHours(env, problems),
  };
}

/** What the single-tenant destination accepts events with, and the token it delivers with. */
export interface VariablesAccess {
  readonly accessToken: string;
  /** Where the token comes from: the variables, or the console's OAuth connection. */
  readonly tokenSource: NonNullable<DestinationConfig['tokenSource']>;
  readonly sourceId: string;
  readonly writeKeys: readonly string[];
  /** SEGMENT_WEBHOOK_SECRET (I-7): the same source then also takes Segment's Webhooks destination. */
  readonly webhookSecret?: string;
}

/** The destination the INTERCOM_* variables configure, delivering to `accessToken` for `writeKeys`. */
export function variablesDestination(
  id: string,
  vars: IntercomVariables,
  access: VariablesAccess,
): DestinationConfig | undefined {
  if ('errors' in vars.mapping) return undefined;
  return {
    id,
    accessToken: access.accessToken,
    tokenSource: access.tokenSource,
    region: vars.region ?? 'us',
    ...(vars.apiUrl !== undefined ? { apiBaseUrl: vars.apiUrl } : {}),
    apiVersion: vars.apiVersion,
    ...(vars.appId !== undefined ? { appId: vars.appId } : {}),
    mapping: vars.mapping.settings,
    bulkApiEnabled: vars.bulkApiEnabled,
    retryHorizonHours: vars.retryHorizonHours,
    // One source id for the write keys and the webhook: an event that arrives both ways is stored once (I-5).
    sources: [
      ...access.writeKeys.map((writeKey) => ({ sourceId: access.sourceId, writeKey })),
      ...(access.webhookSecret === undefined
        ? []
        : [{ sourceId: access.sourceId, webhookSecret: access.webhookSecret }]),
    ],
  };
}
