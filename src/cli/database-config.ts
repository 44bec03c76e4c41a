import type { Env } from './command.js';
import { readWholeNumber } from './env-values.js';

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
export function readPoolSize(env: Env, problems: string[]): number {
  return readWholeNumber(env, 'DATABASE_POOL_SIZE', { min: 2, max: 1000, fallback: 10 }, problems);
}

/** A PostgreSQL URL without its credentials (user and password), for banners and logs. */
export function describeDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `PostgreSQL ${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}
