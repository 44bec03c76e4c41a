import type { Env } from './command.js';

/** Reads a TCP port, recording a problem for anything but an integer in 0..65535. */
export function readPort(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`${name} must be a port number (0-65535), got ${JSON.stringify(raw)}`);
    return fallback;
  }
  return port;
}

/** A whole-number setting: its bounds and its value when unset. */
export interface WholeNumberSetting {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
}

/** Reads a whole number in `[min, max]`, recording a problem (and using the default) for anything else. */
export function readWholeNumber(
  env: Env,
  name: string,
  setting: WholeNumberSetting,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return setting.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < setting.min || value > setting.max) {
    problems.push(
      `${name} must be a whole number from ${setting.min} to ${setting.max}, got ${JSON.stringify(raw)}`,
    );
    return setting.fallback;
  }
  return value;
}

/** Splits a comma-separated list, trimming blanks. */
export function parseList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads an http(s) URL without its trailing slashes, recording a problem for anything else. */
export function readUrl(env: Env, name: string, problems: string[]): string | undefined {
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
