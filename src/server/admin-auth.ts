import { createHash, timingSafeEqual } from 'node:crypto';
import { AdminDisabledError, AdminUnauthorizedError } from './admin-error.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Checks the admin credential of a request (`Authorization: Bearer <ADMIN_TOKEN>`) in constant time;
 * throws when admin routes are off (no token configured), or the credential is missing or wrong. The
 * token is never echoed, logged or stored.
 */
export function checkAdmin(adminToken: string | undefined, authorization: string | undefined): void {
  if (adminToken === undefined || adminToken === '') throw new AdminDisabledError();
  const given = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) throw new AdminUnauthorizedError('missing');
  // Digests of equal length, so the comparison's time says nothing about the token.
  if (!timingSafeEqual(digest(given), digest(adminToken))) throw new AdminUnauthorizedError('wrong');
}
