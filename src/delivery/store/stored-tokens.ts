/**
 * An Intercom access token obtained through OAuth, as the store keeps it: sealed (encrypted and
 * authenticated by the caller), never in clear.
 */
export interface StoredToken {
  readonly destinationId: string;
  /** The token encrypted by the caller (AES-256-GCM); the store never sees it in clear. */
  readonly sealed: string;
  /** The workspace's App ID (`GET /me` → `app.id_code`) when the token was stored. */
  readonly appId?: string;
  readonly connectedAtMs: number;
}

/** OAuth tokens per destination, shared by every process that uses the queue's database. */
export interface StoredTokens {
  /** Stores (or replaces) a destination's token. */
  saveToken(token: StoredToken): Promise<void>;
  /** Every stored token. */
  storedTokens(): Promise<readonly StoredToken[]>;
  /** Deletes a destination's token; resolves to whether there was one. */
  deleteToken(destinationId: string): Promise<boolean>;
}
