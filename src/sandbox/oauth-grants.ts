import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock/clock.js';

/** What the sandbox knows of a bearer token. */
export type TokenStanding = 'issued' | 'revoked' | 'unknown';

/** The sandbox's OAuth bookkeeping: codes handed out on Allow, tokens they were traded for, revocations. */
export interface OAuthGrants {
  /** A one-time code for `clientId`, valid for five minutes (Intercom: "about 5 minutes"). */
  issueCode(clientId: string): string;
  /** The token for a code issued to `clientId`, once; undefined for anything else. */
  exchange(code: string, clientId: string): string | undefined;
  /** Revokes an issued token; resolves to whether it was one. */
  revoke(token: string): boolean;
  standing(token: string): TokenStanding;
  /** A name for an issued token (`oauth-1`, …) that request logs can show instead of the token. */
  label(token: string): string | undefined;
  reset(): void;
}

const CODE_TTL_MS = 5 * 60_000;

/** Creates the grants; tokens look like Intercom's (base64 text), each with a label counting up. */
export function createOAuthGrants(clock: Clock): OAuthGrants {
  const codes = new Map<string, { readonly clientId: string; readonly expiresAtMs: number }>();
  const tokens = new Map<string, { readonly label: string; revoked: boolean }>();
  return {
    issueCode(clientId) {
      // Intercom's codes may end in `=`; ours do too, so clients are seen to keep it.
      const code = `${randomBytes(12).toString('base64url')}=`;
      codes.set(code, { clientId, expiresAtMs: clock.now() + CODE_TTL_MS });
      return code;
    },
    exchange(code, clientId) {
      const grant = codes.get(code);
      codes.delete(code);
      if (grant === undefined || grant.clientId !== clientId || grant.expiresAtMs <= clock.now())
        return undefined;
      const token = `dG9rO${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { label: `oauth-${tokens.size + 1}`, revoked: false });
      return token;
    },
    revoke(token) {
      const known = tokens.get(token);
      if (known === undefined || known.revoked) return false;
      known.revoked = true;
      return true;
    },
    standing(token) {
      const known = tokens.get(token);
      return known === undefined ? 'unknown' : known.revoked ? 'revoked' : 'issued';
    },
    label: (token) => tokens.get(token)?.label,
    reset() {
      codes.clear();
      tokens.clear();
    },
  };
}
