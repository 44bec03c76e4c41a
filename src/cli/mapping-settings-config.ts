/** Reads the mapping settings (BEHAVIOR.md settings table) from environment variables, reporting every problem at once. */
import type { Env } from './command.js';
import { DEFAULT_MAPPING_SETTINGS, type MappingSettings } from '../mapping/settings.js';

/** The settings, or every invalid value found (the names of variables and their values, never secrets). */
export type MappingSettingsResult =
  { readonly settings: MappingSettings } | { readonly errors: readonly string[] };

/** Intercom keeps 10 metadata keys; a larger budget is allowed for workspaces with a higher limit, within reason. */
const MAX_METADATA_KEYS_LIMIT = 100;

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** Reads a boolean variable (true/false, 1/0, yes/no, on/off), recording a problem for anything else. */
export function readBoolean(env: Env, name: string, fallback: boolean, errors: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (TRUE_WORDS.has(raw)) return true;
  if (FALSE_WORDS.has(raw)) return false;
  errors.push(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
  return fallback;
}

function readList(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function readKeyBudget(env: Env, name: string, fallback: number, errors: string[]): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n > MAX_METADATA_KEYS_LIMIT) {
    errors.push(
      `${name} must be a whole number from 0 to ${MAX_METADATA_KEYS_LIMIT}, got ${JSON.stringify(env[name])}`,
    );
    return fallback;
  }
  return n;
}

/** C-IDN-5: `user` or `lead`, recording a problem for anything else. */
function readContactRole(
  env: Env,
  name: string,
  fallback: 'user' | 'lead',
  errors: string[],
): 'user' | 'lead' {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'user' || raw === 'lead') return raw;
  errors.push(`${name} must be user or lead, got ${JSON.stringify(env[name])}`);
  return fallback;
}

/**
 * Parses `INTERCOM_COLLECT_CONTEXT`, `INTERCOM_RICH_LINK_PROPERTIES` (comma-separated),
 * `INTERCOM_MAX_EVENT_METADATA_KEYS`, `INTERCOM_CREATE_MISSING_ATTRIBUTES` and
 * `INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID`; unset or empty variables keep the defaults. Pure: the
 * caller passes the environment in.
 */
export function parseMappingSettings(env: Env): MappingSettingsResult {
  const errors: string[] = [];
  const d = DEFAULT_MAPPING_SETTINGS;
  const settings: MappingSettings = {
    collectContext: readBoolean(env, 'INTERCOM_COLLECT_CONTEXT', d.collectContext, errors),
    richLinkProperties: readList(env, 'INTERCOM_RICH_LINK_PROPERTIES', d.richLinkProperties),
    maxEventMetadataKeys: readKeyBudget(
      env,
      'INTERCOM_MAX_EVENT_METADATA_KEYS',
      d.maxEventMetadataKeys,
      errors,
    ),
    createMissingAttributes: readBoolean(
      env,
      'INTERCOM_CREATE_MISSING_ATTRIBUTES',
      d.createMissingAttributes,
      errors,
    ),
    contactRoleWithoutUserId: readContactRole(
      env,
      'INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID',
      d.contactRoleWithoutUserId,
      errors,
    ),
  };
  return errors.length > 0 ? { errors } : { settings };
}
