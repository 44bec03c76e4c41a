import type { RateLimitInfo } from '../../intercom/outcome.js';

/** Who asks for calls: live traffic, or a replay (backfill, L-5) that yields to it. */
export type Traffic = 'live' | 'replay';

/**
 * Whether a plan may start now, or when to look again (ARCHITECTURE.md decision 5). A `workspace` wait
 * means the window is spent for everyone; a `replay` wait, that the replay's share of it is (L-5).
 */
export type Admission =
  | { readonly kind: 'admitted'; readonly ticket: PacerTicket }
  | { readonly kind: 'wait'; readonly untilMs: number; readonly scope: 'workspace' | 'replay' };

/** Calls reserved for one admitted plan; hand it back to `settle` when the plan has run. */
export interface PacerTicket {
  readonly destinationId: string;
  readonly reservedCalls: number;
  /** The window the calls were reserved in; unspent calls are given back only to that window. */
  readonly generation: number;
  readonly traffic: Traffic;
}

/** Tunables of the pacer. */
export interface RatePacerOptions {
  /**
   * Calls kept unspent in every window, for calls a plan makes beyond its reservation (a missing
   * attribute created, a 409 followed) and for other clients of the same workspace.
   */
  readonly reserveCalls: number;
  /** A window whose reset lies further away than this is not trusted (clock skew, bad header). */
  readonly maxWaitMs: number;
  /** How long to wait when a fresh window is spent before Intercom has told us its reset. */
  readonly unknownResetWaitMs: number;
  /**
   * L-5: live traffic counts as waiting for this long after a live plan last asked for calls; meanwhile
   * replayed plans get at most half of each window. Default 10 s, one Intercom window.
   */
  readonly liveActivityMs?: number;
}

/** Defaults: Intercom's windows are 10 s, so a reset more than a minute away is a wrong clock. */
export const DEFAULT_RATE_PACER_OPTIONS: RatePacerOptions = {
  reserveCalls: 2,
  maxWaitMs: 60_000,
  unknownResetWaitMs: 1_000,
};

/** What a pacer knows of one workspace's current window (mutable: the pacer's own state). */
export interface RateWindow {
  limit: number;
  remaining: number;
  /** The reset Intercom last announced. */
  resetAtMs: number;
  /** Our clock passed `resetAtMs` and no answer from the new window has come yet. */
  rolled: boolean;
  inFlightCalls: number;
  /** Bumped whenever `remaining` is set afresh (roll-over or new figures). */
  generation: number;
  /** L-5: calls reserved by replayed plans since the window was counted afresh. */
  replayCalls: number;
  /** L-5: when a live plan last asked for calls. */
  liveSeenAtMs: number;
}

/** A window before any answer: no known limit, the first plan's calls in flight. */
export function freshWindow(inFlightCalls: number): RateWindow {
  return {
    limit: Number.POSITIVE_INFINITY,
    remaining: Number.POSITIVE_INFINITY,
    resetAtMs: 0,
    rolled: false,
    inFlightCalls,
    generation: 0,
    replayCalls: 0,
    liveSeenAtMs: Number.NEGATIVE_INFINITY,
  };
}

/** Rolls a window past its reset over to a fresh one, less the calls still running. */
export function rollOver(window: RateWindow, nowMs: number): void {
  if (!window.rolled && Number.isFinite(window.limit) && nowMs >= window.resetAtMs) {
    // Calls still running were counted against the old window but may land in the new one.
    window.rolled = true;
    window.remaining = window.limit - window.inFlightCalls;
    window.generation += 1;
    window.replayCalls = 0;
  }
}

/** Admits a plan needing `needed` calls while the window covers them and the reserve; else says when to look again. */
export function admitTo(
  window: RateWindow,
  request: { readonly destinationId: string; readonly needed: number; readonly traffic: Traffic },
  nowMs: number,
  options: RatePacerOptions,
): Admission {
  const { destinationId, needed, traffic } = request;
  const ticket: PacerTicket = {
    destinationId,
    reservedCalls: needed,
    generation: window.generation,
    traffic,
  };
  if (traffic === 'live') window.liveSeenAtMs = nowMs;
  else if (isReplayShareSpent(window, needed, nowMs, options)) {
    return { kind: 'wait', untilMs: nextLook(window, nowMs, options), scope: 'replay' };
  }
  // A workspace whose limit is smaller than the reserve still gets one plan at a time.
  const reserve = Math.min(options.reserveCalls, Math.max(0, window.limit - needed));
  if (window.remaining - needed >= reserve) {
    window.remaining -= needed;
    window.inFlightCalls += needed;
    if (traffic === 'replay') window.replayCalls += needed;
    return { kind: 'admitted', ticket };
  }
  return { kind: 'wait', untilMs: nextLook(window, nowMs, options), scope: 'workspace' };
}

/**
 * L-5: while live traffic asked for calls lately, replayed plans get at most half of the window's
 * limit (at least one plan per window, so a tiny limit never stops a replay for good); alone, all of it.
 */
export function isReplayShareSpent(
  window: RateWindow,
  needed: number,
  nowMs: number,
  options: RatePacerOptions,
): boolean {
  const liveWaiting = nowMs - window.liveSeenAtMs < (options.liveActivityMs ?? 10_000);
  if (!liveWaiting || !Number.isFinite(window.limit) || window.replayCalls === 0) return false;
  return window.replayCalls + needed > Math.floor(window.limit / 2);
}

/** When to look again at a window that cannot pay for a plan now: its reset, within bounds. */
function nextLook(window: RateWindow, nowMs: number, options: RatePacerOptions): number {
  const untilMs = window.rolled ? nowMs + options.unknownResetWaitMs : window.resetAtMs;
  return Math.min(Math.max(untilMs, nowMs + 1), nowMs + options.maxWaitMs);
}

/** Takes in a finished plan: the calls it spent beyond or below its reservation, and the headers it saw. */
export function settleIn(
  window: RateWindow,
  ticket: PacerTicket,
  spentCalls: number,
  seen: RateLimitInfo | undefined,
  nowMs: number,
  options: RatePacerOptions,
): void {
  window.inFlightCalls = Math.max(0, window.inFlightCalls - ticket.reservedCalls);
  if (ticket.generation === window.generation) {
    // Same window as the reservation: give back what was not spent, take what was spent beyond it.
    window.remaining += ticket.reservedCalls - spentCalls;
    if (ticket.traffic === 'replay') window.replayCalls += spentCalls - ticket.reservedCalls;
  } else {
    // The window was counted afresh since; only calls beyond the reservation are news.
    window.remaining -= Math.max(0, spentCalls - ticket.reservedCalls);
  }
  if (seen === undefined) return;
  const seenResetMs = seen.resetAtSeconds * 1000;
  if (seenResetMs > nowMs + options.maxWaitMs) return;
  if (seenResetMs > window.resetAtMs || !Number.isFinite(window.limit)) {
    adopt(window, seen, seenResetMs);
  } else if (seenResetMs === window.resetAtMs && !window.rolled) {
    // Same window: `remaining` only goes down, so a lower figure means calls we did not count.
    window.limit = seen.limit;
    window.remaining = Math.min(window.remaining, seen.remaining);
  }
  // An older window's figures (a slow answer from before the reset) teach nothing.
}

/** Takes Intercom's figures for a window newer than the one known. */
function adopt(window: RateWindow, seen: RateLimitInfo, seenResetMs: number): void {
  if (!Number.isFinite(window.limit) || !window.rolled) {
    // First figures, or a new window our clock had not reached: the calls still running may or may
    // not be in Intercom's count, so count them again (conservative, once per window).
    window.remaining = seen.remaining - window.inFlightCalls;
  } else {
    // Our own count since the roll-over is an upper bound of what this worker spent; a lower figure
    // from Intercom means calls by someone else.
    window.remaining = Math.min(window.remaining, seen.remaining);
  }
  window.limit = seen.limit;
  window.resetAtMs = seenResetMs;
  window.rolled = false;
  window.generation += 1;
  window.replayCalls = 0;
}
