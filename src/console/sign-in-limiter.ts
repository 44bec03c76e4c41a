/** Bounds on failed sign-ins. */
export interface SignInLimits {
  /** Failures one client address may have within `windowMs`. */
  readonly perClient: number;
  /** Failures from all addresses together within `windowMs` (slows a guess spread over many addresses). */
  readonly overall: number;
  readonly windowMs: number;
}

/** Five failures per address and fifty overall in fifteen minutes. */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perClient: 5, overall: 50, windowMs: 15 * 60_000 };

/** Counts failed sign-ins and says when a client must wait. */
export interface SignInLimiter {
  /** Milliseconds `client` must wait before trying again; 0 when it may try now. */
  waitMs(client: string, nowMs: number): number;
  failed(client: string, nowMs: number): void;
  /** A successful sign-in forgets the client's failures. */
  succeeded(client: string): void;
}

/** Creates a limiter with its own state (per process; a restart forgets it). */
export function createSignInLimiter(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS): SignInLimiter {
  const byClient = new Map<string, number[]>();
  let overall: number[] = [];
  const recent = (times: readonly number[], nowMs: number): number[] =>
    times.filter((t) => t > nowMs - limits.windowMs);
  const wait = (times: readonly number[], max: number, nowMs: number): number => {
    if (times.length < max) return 0;
    const oldest = times[times.length - max] ?? nowMs;
    return Math.max(1, oldest + limits.windowMs - nowMs);
  };
  return {
    waitMs(client, nowMs) {
      overall = recent(overall, nowMs);
      const mine = recent(byClient.get(client) ?? [], nowMs);
      return Math.max(wait(mine, limits.perClient, nowMs), wait(overall, limits.overall, nowMs));
    },
    failed(client, nowMs) {
      const mine = recent(byClient.get(client) ?? [], nowMs);
      mine.push(nowMs);
      byClient.set(client, mine);
      overall.push(nowMs);
      // Bounded: addresses whose failures have all aged out are forgotten.
      if (byClient.size > 10_000) {
        for (const [key, times] of byClient) if (recent(times, nowMs).length === 0) byClient.delete(key);
      }
    },
    succeeded(client) {
      byClient.delete(client);
    },
  };
}
