import type { ExecutionOutcome, IntercomFailure } from '../../intercom/outcome.js';
import type { DeadReason } from '../store/dead-letters.js';
import type { BackoffOptions } from './backoff.js';
import { backoffMs } from './backoff.js';

/** Why a destination stops receiving calls until a probe succeeds. */
export type PauseReason = 'unauthorized' | 'forbidden';

/** What the worker does with a job after one attempt (ARCHITECTURE.md decision 6). */
export type Decision =
  | { readonly kind: 'done' }
  /** Try again at `atMs`; the job keeps the head of its lane. */
  | { readonly kind: 'retry'; readonly atMs: number }
  /**
   * C-RACE-2: the track's user does not exist yet. The job stops blocking its lane (so the identify
   * behind it can run), retries on its own at `atMs`, and runs again as soon as a later job of its
   * lane completes.
   */
  | { readonly kind: 'parked'; readonly atMs: number }
  /** 429: pause the workspace until `untilMs`; not counted as an attempt, nothing reordered. */
  | { readonly kind: 'rate_limited'; readonly untilMs: number }
  | {
      readonly kind: 'dead';
      readonly reason: DeadReason;
      readonly status?: number;
      /** Intercom's error code, e.g. `parameter_invalid`. */
      readonly code?: string;
      readonly message?: string;
    }
  /** 401/403: pause the whole destination; nothing is dead-lettered, a probe resumes it. */
  | {
      readonly kind: 'paused';
      readonly reason: PauseReason;
      readonly code?: string;
      readonly message?: string;
    };

/** Where a job stands before the attempt being decided. */
export interface AttemptState {
  /** Counted attempts including this one (429 and 401/403 answers are not counted). */
  readonly attempt: number;
  /** When the first counted attempt started (Unix ms); the age bounds are measured from here. */
  readonly firstAttemptAtMs: number;
}

/** Tunables of the retry policy. */
export interface DeliveryPolicy {
  readonly backoff: BackoffOptions;
  /** Transient failures are retried until the job is this old (issue #5: 24 h). */
  readonly maxAgeMs: number;
  /** C-RACE-2 bound: a track whose user is missing is dead-lettered after this long (1 h). */
  readonly userNotFoundMaxMs: number;
  /** Backoff of a parked (user not found) track; slower than for server errors. */
  readonly userNotFoundBackoff: BackoffOptions;
  /** Pause after a 429 that carries no usable `X-RateLimit-Reset`. */
  readonly rateLimitFallbackMs: number;
  /** A reset already past (clock skew) still pauses this long. */
  readonly rateLimitMinPauseMs: number;
  /** Never trust a reset further away than this (Intercom's windows are 10 s). */
  readonly rateLimitMaxPauseMs: number;
}

/** Defaults from issue #5. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  backoff: { baseMs: 1_000, capMs: 10 * 60_000 },
  maxAgeMs: 24 * 60 * 60_000,
  userNotFoundMaxMs: 60 * 60_000,
  userNotFoundBackoff: { baseMs: 5_000, capMs: 5 * 60_000 },
  rateLimitFallbackMs: 10_000,
  rateLimitMinPauseMs: 1_000,
  rateLimitMaxPauseMs: 60_000,
};

/** Intercom's (and the sandbox's) error code for a new event name past the workspace's limit (C-TR-6). */
export const EVENT_NAME_LIMIT_CODE = 'event_name_limit_exceeded';

/** HTTP statuses worth retrying besides 5xx: request timeout, conflict (concurrent edit), too early. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 425]);

/** Turns the outcome of one attempt into what happens next. Pure: the clock and randomness are arguments. */
export function decide(
  outcome: ExecutionOutcome,
  state: AttemptState,
  nowMs: number,
  random: () => number,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): Decision {
  if (outcome.kind === 'delivered') return { kind: 'done' };
  const failure = outcome.failure;
  if (failure.kind !== 'http') return transient(state, nowMs, random, policy, failure);
  const { status } = failure;
  if (status === 429) return { kind: 'rate_limited', untilMs: rateLimitUntil(failure, nowMs, policy) };
  if (status === 401 || status === 403) {
    return { kind: 'paused', reason: status === 401 ? 'unauthorized' : 'forbidden', ...details(failure) };
  }
  if (status === 404 && outcome.operation === 'submit_event') {
    // C-RACE-2: POST /events answers 404 when no contact has this user_id (yet).
    if (nowMs - state.firstAttemptAtMs >= policy.userNotFoundMaxMs) {
      return { kind: 'dead', reason: 'user_not_found', status, ...details(failure) };
    }
    return { kind: 'parked', atMs: nowMs + backoffMs(state.attempt, random, policy.userNotFoundBackoff) };
  }
  if (failure.code === EVENT_NAME_LIMIT_CODE) {
    // C-TR-6: retrying cannot help until someone archives event names in Intercom; then redrive.
    return { kind: 'dead', reason: 'event_name_limit_exceeded', status, ...details(failure) };
  }
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
    return transient(state, nowMs, random, policy, failure);
  }
  return { kind: 'dead', reason: 'rejected', status, ...details(failure) };
}

/** 5xx, timeouts and connection errors: backoff until the maximum age. */
function transient(
  state: AttemptState,
  nowMs: number,
  random: () => number,
  policy: DeliveryPolicy,
  failure: IntercomFailure,
): Decision {
  if (nowMs - state.firstAttemptAtMs >= policy.maxAgeMs) {
    return failure.kind === 'http'
      ? { kind: 'dead', reason: 'max_age_exceeded', status: failure.status, ...details(failure) }
      : { kind: 'dead', reason: 'max_age_exceeded', message: describe(failure) };
  }
  return { kind: 'retry', atMs: nowMs + backoffMs(state.attempt, random, policy.backoff) };
}

/** `X-RateLimit-Reset` is Unix seconds; clamp it so a wrong clock or header cannot stall a workspace. */
function rateLimitUntil(
  failure: IntercomFailure & { kind: 'http' },
  nowMs: number,
  policy: DeliveryPolicy,
): number {
  const resetMs = failure.rateLimit === undefined ? Number.NaN : failure.rateLimit.resetAtSeconds * 1000;
  if (!Number.isFinite(resetMs)) return nowMs + policy.rateLimitFallbackMs;
  return Math.min(Math.max(resetMs, nowMs + policy.rateLimitMinPauseMs), nowMs + policy.rateLimitMaxPauseMs);
}

/** Intercom's code and message, only when present (exactOptionalPropertyTypes). */
function details(failure: IntercomFailure & { kind: 'http' }): { code?: string; message?: string } {
  return {
    ...(failure.code === undefined ? {} : { code: failure.code }),
    ...(failure.message === undefined ? {} : { message: failure.message }),
  };
}

/** A human-readable line for a non-HTTP failure. */
function describe(failure: IntercomFailure): string {
  switch (failure.kind) {
    case 'timeout':
      return `timed out after ${failure.timeoutMs} ms`;
    case 'network':
      return failure.message;
    case 'http':
      return `HTTP ${failure.status}`;
  }
}
