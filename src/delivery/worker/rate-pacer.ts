import type { Operation } from '../../intercom/operations.js';
import type { RateLimitInfo } from '../../intercom/outcome.js';

/** Whether a plan may start now, or when to look again (ARCHITECTURE.md decision 5). */
export type Admission =
  | { readonly kind: 'admitted'; readonly ticket: PacerTicket }
  | { readonly kind: 'wait'; readonly untilMs: number };

/** Calls reserved for one admitted plan; hand it back to `settle` when the plan has run. */
export interface PacerTicket {
  readonly destinationId: string;
  readonly reservedCalls: number;
  /** The window the calls were reserved in; unspent calls are given back only to that window. */
  readonly generation: number;
}

/**
 * Calls a plan may need when no id is cached yet: lookups by external_id and by email before a contact
 * is created, a company lookup before an attach.
 * Reserving the worst usual case and giving back what was not spent keeps a window from being overspent
 * by many plans that each needed one call more than hoped.
 */
const CALLS_PER_OPERATION: Readonly<Record<Operation['kind'], number>> = {
  upsert_contact: 3,
  upsert_company: 1,
  attach_company: 3,
  detach_company: 3,
  submit_event: 1,
};

/** The calls to reserve for a plan's operations. */
export function plannedCalls(operations: readonly Operation[]): number {
  return operations.reduce((sum, operation) => sum + CALLS_PER_OPERATION[operation.kind], 0);
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
}

/** Defaults: Intercom's windows are 10 s, so a reset more than a minute away is a wrong clock. */
export const DEFAULT_RATE_PACER_OPTIONS: RatePacerOptions = {
  reserveCalls: 2,
  maxWaitMs: 60_000,
  unknownResetWaitMs: 1_000,
};

/** What the pacer knows about one workspace's current window. */
export interface WindowBudget {
  readonly limit: number;
  /** Calls Intercom still allows in this window, minus the calls reserved since it said so. */
  readonly remaining: number;
  readonly resetAtMs: number;
  /** Calls reserved by plans still running. */
  readonly inFlightCalls: number;
}

/**
 * Proactive per-workspace pacing from the last `X-RateLimit-*` headers seen, so a backlog drains at
 * the limit without collecting 429s: a plan is admitted while the window's remaining budget (minus the
 * calls reserved by plans still running) covers its calls; otherwise it waits for the reset.
 * Pure apart from its own state; the clock is an argument.
 */
export interface RatePacer {
  /** Asks to start a plan that needs about `calls` calls. */
  admit(destinationId: string, calls: number, nowMs: number): Admission;
  /** Reports a finished plan: the calls it actually spent and the last headers it saw. */
  settle(ticket: PacerTicket, spentCalls: number, seen: RateLimitInfo | undefined, nowMs: number): void;
  /** What is known of a workspace's window, for metrics and `doctor`. */
  budget(destinationId: string): WindowBudget | undefined;
}

interface MutableWindow {
  limit: number;
  remaining: number;
  /** The reset Intercom last announced. */
  resetAtMs: number;
  /** Our clock passed `resetAtMs` and no answer from the new window has come yet. */
  rolled: boolean;
  inFlightCalls: number;
  /** Bumped whenever `remaining` is set afresh (roll-over or new figures). */
  generation: number;
}

/** Creates a pacer with its own state (one per worker; see the notes in `job-store.ts` for sharing it). */
export function createRatePacer(options: RatePacerOptions = DEFAULT_RATE_PACER_OPTIONS): RatePacer {
  const windows = new Map<string, MutableWindow>();

  /** Rolls a window past its reset over to a fresh one, less the calls still running. */
  function current(destinationId: string, nowMs: number): MutableWindow | undefined {
    const window = windows.get(destinationId);
    if (window === undefined) return undefined;
    if (!window.rolled && Number.isFinite(window.limit) && nowMs >= window.resetAtMs) {
      // Calls still running were counted against the old window but may land in the new one.
      window.rolled = true;
      window.remaining = window.limit - window.inFlightCalls;
      window.generation += 1;
    }
    return window;
  }

  function adopt(window: MutableWindow, seen: RateLimitInfo, seenResetMs: number): void {
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
  }

  return {
    admit(destinationId, calls, nowMs) {
      const needed = Math.max(1, Math.ceil(calls));
      const window = current(destinationId, nowMs);
      if (window === undefined) {
        // Nothing seen yet: the first answers will tell us the budget.
        windows.set(destinationId, {
          limit: Number.POSITIVE_INFINITY,
          remaining: Number.POSITIVE_INFINITY,
          resetAtMs: 0,
          rolled: false,
          inFlightCalls: needed,
          generation: 0,
        });
        return { kind: 'admitted', ticket: { destinationId, reservedCalls: needed, generation: 0 } };
      }
      const ticket: PacerTicket = { destinationId, reservedCalls: needed, generation: window.generation };
      // A workspace whose limit is smaller than the reserve still gets one plan at a time.
      const reserve = Math.min(options.reserveCalls, Math.max(0, window.limit - needed));
      if (window.remaining - needed >= reserve) {
        window.remaining -= needed;
        window.inFlightCalls += needed;
        return { kind: 'admitted', ticket };
      }
      const untilMs = window.rolled ? nowMs + options.unknownResetWaitMs : window.resetAtMs;
      return { kind: 'wait', untilMs: Math.min(Math.max(untilMs, nowMs + 1), nowMs + options.maxWaitMs) };
    },

    settle(ticket, spentCalls, seen, nowMs) {
      const window = windows.get(ticket.destinationId);
      if (window === undefined) return;
      window.inFlightCalls = Math.max(0, window.inFlightCalls - ticket.reservedCalls);
      if (ticket.generation === window.generation) {
        // Same window as the reservation: give back what was not spent, take what was spent beyond it.
        window.remaining += ticket.reservedCalls - spentCalls;
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
    },

    budget(destinationId) {
      const window = windows.get(destinationId);
      if (window === undefined || !Number.isFinite(window.limit)) return undefined;
      const { limit, remaining, resetAtMs, inFlightCalls } = window;
      return { limit, remaining, resetAtMs, inFlightCalls };
    },
  };
}
