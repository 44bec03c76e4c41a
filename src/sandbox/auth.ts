import { timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** True when the header carries a non-empty bearer token, equal to `expected` when one is configured. */
export function isAuthorized(header: string | undefined, expected: string | undefined): boolean {
  const token = bearerToken(header);
  if (token === undefined) return false;
  if (expected === undefined) return true;
  const a = Buffer.from(token);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
