import type { ExecutionOutcome, IntercomFailure } from '../../intercom/outcome.js';
import type { Operation } from '../../intercom/operations.js';
import type { DeadReason } from '../store/dead-letters.js';
import type { FailureClass } from '../store/job.js';
import type { BackoffOptions } from './backoff.js';
import { backoffMs } from './backoff.js';

/** Why a destination stops receiving calls until a probe succeeds. */
export type PauseReason = 'unauthorized' | 'forbidden';

/** Intercom's status, error code and message of a failure, as a dead letter or a pause keeps them. */
interface FailureFacts {
  readonly status?: number;
  /** Intercom's error code, e.g. `parameter_invalid`. */
  readonly code?: string;
  readonly message?: string;
}

/** What the worker does with a job after one attempt (ARCHITECTURE.md decision 6), with the L-1 class. */
export type Decision =
  | { readonly kind: 'done' }
  /** Try again at `atMs`; the job keeps the head of its lane. */
  | { readonly kind: 'retry'; readonly atMs: number; readonly failureClass: 'transient' }
  /**
   * C-RACE-2: the track's user does not exist yet. The job stops blocking its lane (so the identify
   * behind it can run), retries on its own at `atMs`, and runs again as soon as a later job of its
   * lane completes.
   */
  | { readonly kind: 'parked'; readonly atMs: number; readonly failureClass: 'waiting_for_identity' }
  /** 429: pause the workspace until `untilMs`; not counted as an attempt, nothing reordered. */
  | { readonly kind: 'rate_limited'; readonly untilMs: number; readonly failureClass: 'rate_limited' }
  | (FailureFacts & {
      readonly kind: 'dead';
      readonly reason: DeadReason;
      readonly failureClass: 'transient' | 'waiting_for_identity' | 'permanent';
    })
  /** 401/403: pause the whole destination; nothing is dead-lettered, a probe resumes it. */
  | (Omit<FailureFacts, 'status'> & {
      readonly kind: 'paused';
      readonly reason: PauseReason;
      readonly failureClass: 'token_rejected';
    });

/** Where a job stands before the attempt being decided. */
export interface AttemptState {
  /** Counted attempts including this one (429 and 401/403 answers are not counted). */
  readonly attempt: number;
  /** When the first counted attempt started (Unix ms); the retry horizon is measured from here. */
  readonly firstAttemptAtMs: number;
}

/** Tunables of the retry policy. */
export interface DeliveryPolicy {
  readonly backoff: BackoffOptions;
  /** L-1: transient failures are retried until this long after the first attempt (`retryHorizonHours`). */
  readonly retryHorizonMs: number;
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

/** The default retry horizon (L-1): 72 hours, long enough to outlast a weekend-long Intercom incident. */
export const DEFAULT_RETRY_HORIZON_HOURS = 72;

/** Defaults from issue #5, with L-1's retry horizon. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  backoff: { baseMs: 1_000, capMs: 10 * 60_000 },
  retryHorizonMs: DEFAULT_RETRY_HORIZON_HOURS * 60 * 60_000,
  userNotFoundMaxMs: 60 * 60_000,
  userNotFoundBackoff: { baseMs: 5_000, capMs: 5 * 60_000 },
  rateLimitFallbackMs: 10_000,
  rateLimitMinPauseMs: 1_000,
  rateLimitMaxPauseMs: 60_000,
};

/** One row of L-1: what a class covers and the decision it leads to. */
export interface FailureClassRow {
  readonly covers: string;
  readonly decision: string;
}

/**
 * L-1 as one table, in the order docs/behavior.md shows it (`test/failure-classes.test.ts` keeps the
 * two equal): `classifyFailure` puts every failure in one row, `decide` carries out the row's decision.
 */
export const FAILURE_CLASSES: Readonly<Record<FailureClass, FailureClassRow>> = {
  rate_limited: {
    covers: '429, or the pacer holds the plan back',
    decision: "wait for the window's reset; no horizon; not counted as an attempt",
  },
  token_rejected: {
    covers: '401 or 403',
    decision: 'pause the destination; nothing is dead-lettered; a probe (`GET /me`) resumes it',
  },
  transient: {
    covers: '5xx, 408, 425, a network error, a timeout, a 409 still explained by search lag',
    decision:
      'retry with capped exponential backoff and jitter until the retry horizon (`retryHorizonHours`, 72 h from the first attempt), then dead letter `retry_horizon_passed`',
  },
  waiting_for_identity: {
    covers: '404 User Not Found on an event (C-RACE-2)',
    decision: 'step aside and retry for up to an hour, then dead letter `user_not_found`',
  },
  permanent: {
    covers:
      'any other 4xx (a 400 that creating attributes cannot fix, 410, 422, a 404 on a deleted company …), a 409 naming a contact with another external_id (C-IDN-4), the event-name limit (C-TR-6), an answer that is not what Intercom documents, an event that cannot be mapped',
    decision:
      'dead letter at once, with a reason naming the cause: `rejected`, `identity_conflict`, `event_name_limit_exceeded`, `mapping_failed`',
  },
};

/** Intercom's (and the sandbox's) error code for a new event name past the workspace's limit (C-TR-6). */
export const EVENT_NAME_LIMIT_CODE = 'event_name_limit_exceeded';

/** HTTP statuses worth retrying besides 5xx: request timeout, conflict (search lag), too early. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 425]);

/** The L-1 class of a failure, with the pause or dead-letter reason its row needs. */
export type Classified =
  | { readonly failureClass: 'rate_limited' | 'transient' | 'waiting_for_identity' }
  | { readonly failureClass: 'token_rejected'; readonly reason: PauseReason }
  | { readonly failureClass: 'permanent'; readonly reason: DeadReason };

/** L-1: the one class a failed attempt falls into. Pure. */
export function classifyFailure(
  failure: IntercomFailure,
  operation: Operation['kind'] | 'delete_contact',
): Classified {
  switch (failure.kind) {
    case 'timeout':
    case 'network':
      return { failureClass: 'transient' };
    case 'identity_conflict':
      return { failureClass: 'permanent', reason: 'identity_conflict' };
    case 'http':
      break;
  }
  const { status } = failure;
  if (status === 429) return { failureClass: 'rate_limited' };
  if (status === 401) return { failureClass: 'token_rejected', reason: 'unauthorized' };
  if (status === 403) return { failureClass: 'token_rejected', reason: 'forbidden' };
  // C-RACE-2: POST /events answers 404 when no contact has this user_id (yet).
  if (status === 404 && operation === 'submit_event') return { failureClass: 'waiting_for_identity' };
  // C-TR-6: retrying cannot help until someone archives event names in Intercom; then redrive.
  if (failure.code === EVENT_NAME_LIMIT_CODE)
    return { failureClass: 'permanent', reason: 'event_name_limit_exceeded' };
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) return { failureClass: 'transient' };
  return { failureClass: 'permanent', reason: 'rejected' };
}

/** Turns the outcome of one attempt into what happens next. Pure: the clock and randomness are arguments. */
export function decide(
  outcome: ExecutionOutcome,
  state: AttemptState,
  nowMs: number,
  random: () => number,
  policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY,
): Decision {
  if (outcome.kind === 'delivered') return { kind: 'done' };
  const { failure } = outcome;
  const classified = classifyFailure(failure, outcome.operation);
  const ageMs = nowMs - state.firstAttemptAtMs;
  switch (classified.failureClass) {
    case 'rate_limited':
      return {
        kind: 'rate_limited',
        untilMs: rateLimitUntil(failure, nowMs, policy),
        failureClass: 'rate_limited',
      };
    case 'token_rejected': {
      const { status: _status, ...facts } = factsOf(failure);
      return { kind: 'paused', reason: classified.reason, ...facts, failureClass: 'token_rejected' };
    }
    case 'waiting_for_identity':
      if (ageMs >= policy.userNotFoundMaxMs) return dead('user_not_found', failure, 'waiting_for_identity');
      return {
        kind: 'parked',
        atMs: nowMs + backoffMs(state.attempt, random, policy.userNotFoundBackoff),
        failureClass: 'waiting_for_identity',
      };
    case 'transient':
      if (ageMs >= policy.retryHorizonMs) return dead('retry_horizon_passed', failure, 'transient');
      return {
        kind: 'retry',
        atMs: nowMs + backoffMs(state.attempt, random, policy.backoff),
        failureClass: 'transient',
      };
    case 'permanent':
      return dead(classified.reason, failure, 'permanent');
  }
}

function dead(
  reason: DeadReason,
  failure: IntercomFailure,
  failureClass: Extract<Decision, { kind: 'dead' }>['failureClass'],
): Decision {
  return { kind: 'dead', reason, ...factsOf(failure), failureClass };
}

/** `X-RateLimit-Reset` is Unix seconds; clamp it so a wrong clock or header cannot stall a workspace. */
function rateLimitUntil(failure: IntercomFailure, nowMs: number, policy: DeliveryPolicy): number {
  const rateLimit = failure.kind === 'http' ? failure.rateLimit : undefined;
  const resetMs = rateLimit === undefined ? Number.NaN : rateLimit.resetAtSeconds * 1000;
  if (!Number.isFinite(resetMs)) return nowMs + policy.rateLimitFallbackMs;
  return Math.min(Math.max(resetMs, nowMs + policy.rateLimitMinPauseMs), nowMs + policy.rateLimitMaxPauseMs);
}

/** Intercom's status, code and message when present (exactOptionalPropertyTypes), or a description. */
function factsOf(failure: IntercomFailure): FailureFacts {
  switch (failure.kind) {
    case 'http':
      return {
        status: failure.status,
        ...(failure.code === undefined ? {} : { code: failure.code }),
        ...(failure.message === undefined ? {} : { message: failure.message }),
      };
    case 'identity_conflict':
      return { status: failure.status, message: failure.message };
    case 'timeout':
      return { message: `timed out after ${failure.timeoutMs} ms` };
    case 'network':
      return { message: failure.message };
  }
}
