import type { Env } from './command.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../segment/json.js';

/**
 * A Segment source: the write key its libraries send (I-2), and/or the secret Segment's Webhooks
 * destination signs with (I-7); `sourceId` is the name we store instead of either.
 */
export interface SourceConfig {
  readonly sourceId: string;
  readonly writeKey?: string;
  /** A secret: never in a message, a log line or a metric. */
  readonly webhookSecret?: string;
}

/** An HMAC secret shorter than this could be guessed; `openssl rand -hex 32` makes a good one. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

const ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why a webhook secret cannot be used, or `undefined` when it can (the secret itself is never quoted). */
export function webhookSecretProblem(secret: string): string | undefined {
  return secret.length < MIN_WEBHOOK_SECRET_LENGTH
    ? `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`
    : undefined;
}

function text(obj: JsonObject, key: string, where: string, errors: string[]): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value !== '') return value;
  errors.push(`${where}.${key} must be a non-empty string`);
  return undefined;
}

/** `webhookSecret`, or `webhookSecretEnv` naming an environment variable that holds it. */
function readWebhookSecret(s: JsonObject, where: string, env: Env, errors: string[]): string | undefined {
  const variable = text(s, 'webhookSecretEnv', where, errors);
  let secret = text(s, 'webhookSecret', where, errors);
  if (variable !== undefined) {
    if (secret !== undefined) errors.push(`${where} has both webhookSecret and webhookSecretEnv: keep one`);
    secret = env[variable];
    if (secret === undefined || secret === '') {
      errors.push(`${where}.webhookSecretEnv names ${variable}, which is not set`);
      return undefined;
    }
  }
  const problem = secret === undefined ? undefined : webhookSecretProblem(secret);
  if (problem !== undefined) errors.push(`${where}'s webhook secret ${problem}`);
  return problem === undefined ? secret : undefined;
}

/** One entry of a destination's `sources`: `{id, writeKey?, webhookSecret? | webhookSecretEnv?}`. */
function readSource(s: JsonValue, where: string, env: Env, errors: string[]): SourceConfig | undefined {
  if (!isJsonObject(s)) {
    errors.push(`${where} must be an object`);
    return undefined;
  }
  const sourceId = text(s, 'id', where, errors);
  if (sourceId === undefined) errors.push(`${where}.id is required`);
  else if (!ID_PATTERN.test(sourceId))
    errors.push(`${where}.id must be 1-64 letters, digits, '_', '.' or '-'`);
  const writeKey = text(s, 'writeKey', where, errors);
  const webhookSecret = readWebhookSecret(s, where, env, errors);
  const secretGiven = s['webhookSecret'] !== undefined || s['webhookSecretEnv'] !== undefined;
  if (writeKey === undefined && !secretGiven && s['writeKey'] === undefined)
    errors.push(`${where} needs a writeKey, a webhookSecret (or webhookSecretEnv), or both`);
  if (sourceId === undefined || !ID_PATTERN.test(sourceId)) return undefined;
  return {
    sourceId,
    ...(writeKey === undefined ? {} : { writeKey }),
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
  };
}

/** A destination's `sources`: each an id with the write key its libraries send and/or a webhook secret. */
export function readSources(raw: JsonObject, where: string, env: Env, errors: string[]): SourceConfig[] {
  const rawSources = raw['sources'];
  if (!Array.isArray(rawSources) || rawSources.length === 0) {
    errors.push(`${where}.sources must be a non-empty array of {id, writeKey?, webhookSecret?}`);
    return [];
  }
  return (rawSources as readonly JsonValue[])
    .map((s, i) => readSource(s, `${where}.sources[${i}]`, env, errors))
    .filter((s): s is SourceConfig => s !== undefined);
}

/**
 * A write key and a webhook secret each belong to one source only, so one source's events can never
 * reach another workspace (I-2, I-7). `owners` maps what was seen to a name for messages; problems
 * name sources, never the keys or secrets.
 */
export function checkSourceSecrets(
  sources: readonly { readonly owner: string; readonly source: SourceConfig }[],
  problems: string[],
): void {
  const keys = new Map<string, string>();
  const secrets = new Map<string, string>();
  for (const { owner, source } of sources) {
    for (const [seen, value, what] of [
      [keys, source.writeKey, 'write key'],
      [secrets, source.webhookSecret, 'webhook secret'],
    ] as const) {
      if (value === undefined) continue;
      const first = seen.get(value);
      if (first !== undefined && first !== owner) problems.push(`${owner} reuses the ${what} of ${first}`);
      if (first === undefined) seen.set(value, owner);
    }
  }
}
