import { randomBytes } from 'node:crypto';
import type { ConsoleSession, SessionKeys } from '../session.js';

/** How long the operator has on Intercom's authorize page. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * The OAuth `state`: a nonce, the destination and an expiry, signed together with the session id, so
 * Intercom's answer is accepted only by the session that asked for it, for that destination, soon.
 */
export function createState(
  keys: SessionKeys,
  session: ConsoleSession,
  destinationId: string,
  nowMs: number,
): string {
  const body = [
    randomBytes(12).toString('base64url'),
    Buffer.from(destinationId).toString('base64url'),
    String(nowMs + STATE_TTL_MS),
  ].join('.');
  return `${body}.${keys.sign('oauth-state', `${session.id}.${body}`)}`;
}

/** The destination a `state` was made for, when it is this session's, intact and not expired. */
export function readState(
  keys: SessionKeys,
  session: ConsoleSession,
  state: string | undefined,
  nowMs: number,
): string | undefined {
  const [nonce, destination, expires, signature] = (state ?? '').split('.');
  if (nonce === undefined || destination === undefined || expires === undefined || signature === undefined)
    return undefined;
  const body = `${nonce}.${destination}.${expires}`;
  if (!keys.same(signature, keys.sign('oauth-state', `${session.id}.${body}`))) return undefined;
  if (!(Number(expires) > nowMs)) return undefined;
  return Buffer.from(destination, 'base64url').toString('utf8');
}
