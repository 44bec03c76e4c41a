import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** A signed-in operator's session, carried by the cookie. */
export interface ConsoleSession {
  /** Random; the CSRF token and the OAuth `state` are bound to it. */
  readonly id: string;
  readonly expiresAtMs: number;
}

/** Signs and checks session cookies, CSRF tokens and other values bound to a session. */
export interface SessionKeys {
  /** A new session's cookie value. */
  issue(nowMs: number): { readonly session: ConsoleSession; readonly cookie: string };
  /** The session of a cookie value, when its signature holds and it has not expired. */
  verify(cookie: string | undefined, nowMs: number): ConsoleSession | undefined;
  /** The CSRF token of a session (sent back on every state-changing request). */
  csrfToken(session: ConsoleSession): string;
  /** Signs `value` for a purpose (`csrf`, `oauth-state`, `pre-session`). */
  sign(purpose: string, value: string): string;
  /** Compares two strings in constant time. */
  same(a: string | undefined, b: string): boolean;
}

/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

/**
 * Sessions are signed, not stored: every process configured with the same ADMIN_TOKEN accepts them
 * (several `serve` behind a load balancer), and changing ADMIN_TOKEN signs everyone out. The key is
 * derived from the admin token by HKDF, so the cookie never carries the token itself.
 */
export function createSessionKeys(adminToken: string): SessionKeys {
  const key = Buffer.from(hkdfSync('sha256', adminToken, 'intercom-destination', 'console session', 32));
  const sign = (purpose: string, value: string): string =>
    createHmac('sha256', key).update(`${purpose}\n${value}`).digest('base64url');
  const same = (a: string | undefined, b: string): boolean => {
    if (a === undefined) return false;
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };
  return {
    issue(nowMs) {
      const session = { id: randomBytes(16).toString('base64url'), expiresAtMs: nowMs + SESSION_TTL_MS };
      const payload = `${session.id}.${session.expiresAtMs}`;
      return { session, cookie: `${payload}.${sign('session', payload)}` };
    },
    verify(cookie, nowMs) {
      const [id, expires, signature] = (cookie ?? '').split('.');
      if (id === undefined || expires === undefined || signature === undefined) return undefined;
      if (!same(signature, sign('session', `${id}.${expires}`))) return undefined;
      const expiresAtMs = Number(expires);
      return Number.isFinite(expiresAtMs) && expiresAtMs > nowMs ? { id, expiresAtMs } : undefined;
    },
    csrfToken: (session) => sign('csrf', session.id),
    sign,
    same,
  };
}
