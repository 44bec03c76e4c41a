import type { Operation } from '../../intercom/operations.js';
import type { RateLimitInfo } from '../../intercom/outcome.js';
import {
  type Admission,
  admitTo,
  DEFAULT_RATE_PACER_OPTIONS,
  freshWindow,
  type PacerTicket,
  type RatePacerOptions,
  rollOver,
  settleIn,
  type RateWindow,
  type Traffic,
} from './rate-window.js';

/**
 * Calls a plan may need when no id is cached yet: lookups by external_id and by email before a contact
 * is created, a company lookup before an attach, the search for leads to merge.
 * Reserving the worst usual case and giving back what was not spent keeps a window from being overspent
 * by many plans that each needed one call more than hoped.
 */
const CALLS_PER_OPERATION: Readonly<Record<Operation['kind'], number>> = {
  upsert_contact: 3,
  upsert_company: 1,
  attach_company: 3,
  detach_company: 3,
  submit_event: 1,
  // C-IDN-5: an email search for leads, and usually one merge.
  merge_lead: 2,
};

/** The calls to reserve for a plan's operations. */
export function plannedCalls(operations: readonly Operation[]): number {
  return operations.reduce((sum, operation) => sum + CALLS_PER_OPERATION[operation.kind], 0);
}

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
  /** Asks to start a plan that needs about `calls` calls, for live traffic unless told it is a replay's. */
  admit(destinationId: string, calls: number, nowMs: number, traffic?: Traffic): Admission;
  /** Reports a finished plan: the calls it actually spent and the last headers it saw. */
  settle(ticket: PacerTicket, spentCalls: number, seen: RateLimitInfo | undefined, nowMs: number): void;
  /** What is known of a workspace's window, for metrics and `doctor`. */
  budget(destinationId: string): WindowBudget | undefined;
  /** L-5: the workspaces whose replayed plans wait now (their share of the window is spent). */
  replayHeld(nowMs: number): readonly string[];
}

/**
 * Creates a pacer with its own state: one per worker process. Each paces from the headers it sees;
 * `X-RateLimit-Remaining` counts the whole workspace, so a process learns what the others spent within
 * one answer (the pacer keeps the lower of its own count and Intercom's), and a spent window becomes a
 * timed pause (`rate_limit_paced`) that stops every process's claims. Several processes can still
 * overspend a window together by up to their combined in-flight reservations; the 429 path absorbs
 * that (docs/future-work.md: sharing the budget exactly).
 */
export function createRatePacer(options: RatePacerOptions = DEFAULT_RATE_PACER_OPTIONS): RatePacer {
  const windows = new Map<string, RateWindow>();
  const replayHeldUntilMs = new Map<string, number>();
  return {
    admit(destinationId, calls, nowMs, traffic = 'live') {
      const needed = Math.max(1, Math.ceil(calls));
      const window = windows.get(destinationId);
      if (window === undefined) {
        // Nothing seen yet: the first answers will tell us the budget.
        const fresh = freshWindow(needed);
        if (traffic === 'live') fresh.liveSeenAtMs = nowMs;
        else fresh.replayCalls = needed;
        windows.set(destinationId, fresh);
        const ticket = { destinationId, reservedCalls: needed, generation: 0, traffic };
        return { kind: 'admitted', ticket };
      }
      rollOver(window, nowMs);
      const admission = admitTo(window, { destinationId, needed, traffic }, nowMs, options);
      if (admission.kind === 'wait' && admission.scope === 'replay') {
        replayHeldUntilMs.set(destinationId, admission.untilMs);
      }
      return admission;
    },
    replayHeld(nowMs) {
      return [...replayHeldUntilMs].filter(([, untilMs]) => untilMs > nowMs).map(([id]) => id);
    },
    settle(ticket, spentCalls, seen, nowMs) {
      const window = windows.get(ticket.destinationId);
      if (window !== undefined) settleIn(window, ticket, spentCalls, seen, nowMs, options);
    },
    budget(destinationId) {
      const window = windows.get(destinationId);
      if (window === undefined || !Number.isFinite(window.limit)) return undefined;
      const { limit, remaining, resetAtMs, inFlightCalls } = window;
      return { limit, remaining, resetAtMs, inFlightCalls };
    },
  };
}
