import type { StoredTokens } from '../delivery/store/stored-tokens.js';
import { TokenSealError } from './console-error.js';
import type { TokenSealer } from './token-sealer.js';

/** What the vault knows of a destination's OAuth token, without the token. */
export interface ConnectedToken {
  /** The token's last four characters, the most the console shows. */
  readonly hint: string;
  readonly appId?: string;
  readonly connectedAtMs: number;
}

/**
 * OAuth tokens as delivery uses them: read from the store, opened with SECRET_KEY, kept in memory and
 * read again every few seconds, so a token connected through any process reaches every process
 * without a restart.
 */
export interface TokenVault {
  /** The destination's token, or undefined when none is connected (synchronous: read per request). */
  tokenFor(destinationId: string): string | undefined;
  connected(destinationId: string): ConnectedToken | undefined;
  /** Destinations whose stored token does not open with this SECRET_KEY (changed key, altered row). */
  unreadable(): readonly string[];
  /** Seals and stores a token, and uses it at once in this process. */
  store(destinationId: string, token: string, appId: string | undefined, nowMs: number): Promise<void>;
  /** Deletes a destination's token; resolves to whether there was one. */
  remove(destinationId: string): Promise<boolean>;
  /** Reads every stored token again. */
  refresh(): Promise<void>;
  /** Refreshes every `intervalMs` until `stop`. */
  start(intervalMs: number, onError: (error: unknown) => void): void;
  stop(): void;
}

interface Entry extends ConnectedToken {
  readonly token: string;
}

function entry(token: string, appId: string | undefined, connectedAtMs: number): Entry {
  return { token, hint: token.slice(-4), ...(appId === undefined ? {} : { appId }), connectedAtMs };
}

/** Opens every stored token; those that do not open are listed instead (that destination waits for a token). */
async function openAll(
  store: StoredTokens,
  sealer: TokenSealer,
): Promise<{ entries: Map<string, Entry>; unopened: string[] }> {
  const entries = new Map<string, Entry>();
  const unopened: string[] = [];
  for (const stored of await store.storedTokens()) {
    try {
      const token = sealer.open(stored.sealed, stored.destinationId);
      entries.set(stored.destinationId, entry(token, stored.appId, stored.connectedAtMs));
    } catch (error: unknown) {
      if (!(error instanceof TokenSealError)) throw error;
      unopened.push(stored.destinationId);
    }
  }
  return { entries, unopened };
}

/** Creates a vault over the store; without a sealer (no SECRET_KEY) it stores nothing and holds nothing. */
export function createTokenVault(store: StoredTokens, sealer: TokenSealer | undefined): TokenVault {
  let entries = new Map<string, Entry>();
  let unopened: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<void> => {
    if (sealer === undefined) return;
    ({ entries, unopened } = await openAll(store, sealer));
  };
  return {
    tokenFor: (id) => entries.get(id)?.token,
    unreadable: () => unopened,
    connected(id) {
      const found = entries.get(id);
      if (found === undefined) return undefined;
      const { token: _token, ...view } = found;
      return view;
    },
    async store(destinationId, token, appId, nowMs) {
      if (sealer === undefined) throw new TypeError('no SECRET_KEY: tokens cannot be stored');
      const sealed = sealer.seal(token, destinationId);
      await store.saveToken({
        destinationId,
        sealed,
        ...(appId === undefined ? {} : { appId }),
        connectedAtMs: nowMs,
      });
      entries = new Map(entries).set(destinationId, entry(token, appId, nowMs));
    },
    async remove(destinationId) {
      const removed = await store.deleteToken(destinationId);
      const next = new Map(entries);
      next.delete(destinationId);
      entries = next;
      return removed;
    },
    refresh,
    start(intervalMs, onError) {
      if (timer !== undefined) return;
      timer = setInterval(() => void refresh().catch(onError), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
