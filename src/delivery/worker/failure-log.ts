import type { IntercomFailure } from '../../intercom/outcome.js';
import type { ClaimedJob } from '../store/job.js';
import type { AttemptContext } from './attempt-context.js';
import type { Decision } from './policy.js';

/** A decision about a failed attempt (anything but `done`). */
export type FailureDecision = Exclude<Decision, { kind: 'done' }>;

/**
 * One failed attempt as L-2 logs it. Only ids, the event's type, Intercom's status, code and request
 * id, and what the product decided: never Intercom's message, a trait value, an email, a token or a
 * key (the lane key can be an email, so it is not here either).
 */
export interface FailedAttemptLine {
  readonly destinationId: string;
  /** The job's sequence number, as `dlq list` shows it once dead. */
  readonly jobId: number;
  readonly eventType: string;
  /** Counted attempts including this one. */
  readonly attempt: number;
  readonly failureClass: FailureDecision['failureClass'];
  readonly decision: FailureDecision['kind'];
  readonly status?: number;
  /** Intercom's error code; `timeout`, a network error's code (`ECONNRESET`), or `identity_conflict`. */
  readonly code?: string;
  readonly requestId?: string;
  /** The dead letter's or the pause's reason. */
  readonly reason?: string;
  /** ISO-8601: when the job runs again (retry, parked) or the workspace's window resets (rate limited). */
  readonly nextAttemptAt?: string;
  /** Failures of this lane not written one by one since its last line (L-2's collapsed repeats). */
  readonly repeats: number;
}

/** A network failure's code (`ECONNRESET: other side closed` → `ECONNRESET`); its text is not logged. */
function networkCode(message: string): string {
  return /^([A-Z][A-Z0-9_]{2,})\b/.exec(message)?.[1] ?? 'network';
}

/** Intercom's status, code and request id of a failure, as far as it has them. */
function answerOf(
  failure: IntercomFailure | undefined,
): Pick<FailedAttemptLine, 'status' | 'code' | 'requestId'> {
  if (failure === undefined) return {};
  switch (failure.kind) {
    case 'http':
      return {
        status: failure.status,
        ...(failure.code === undefined ? {} : { code: failure.code }),
        ...(failure.requestId === undefined ? {} : { requestId: failure.requestId }),
      };
    case 'identity_conflict':
      return { status: failure.status, code: 'identity_conflict' };
    case 'timeout':
      return { code: 'timeout' };
    case 'network':
      return { code: networkCode(failure.message) };
  }
}

/** When the job (or its workspace) is tried again, for the decisions that have such a time. */
function nextAttemptOf(decision: FailureDecision): number | undefined {
  switch (decision.kind) {
    case 'retry':
    case 'parked':
      return decision.atMs;
    case 'rate_limited':
      return decision.untilMs;
    case 'dead':
    case 'paused':
      return undefined;
  }
}

/** L-2's line for one failed attempt. Pure. */
export function failedAttemptLine(
  job: ClaimedJob,
  decision: FailureDecision,
  failure: IntercomFailure | undefined,
  repeats: number,
): FailedAttemptLine {
  const next = nextAttemptOf(decision);
  const reason = decision.kind === 'dead' || decision.kind === 'paused' ? decision.reason : undefined;
  return {
    destinationId: job.destinationId,
    jobId: job.seq,
    eventType: eventTypeOf(job),
    attempt: job.attempts + 1,
    failureClass: decision.failureClass,
    decision: decision.kind,
    ...answerOf(failure),
    ...(reason === undefined ? {} : { reason }),
    ...(next === undefined ? {} : { nextAttemptAt: new Date(next).toISOString() }),
    repeats,
  };
}

/** What the log calls a job: its event's type, or `deletion` for an erasure (L-4), which has no event. */
function eventTypeOf(job: ClaimedJob): string {
  return job.kind === 'deletion' ? 'deletion' : job.event.type;
}

/** The throttle's key of a job's lane: destination and lane key (kept in memory, never logged). */
function laneOf(job: ClaimedJob): string {
  return `${job.destinationId}\n${job.laneKey}`;
}

/**
 * L-2: logs a failed attempt once at `warn`; repeats of the same failure on the lane collapse to one
 * line a minute with a count. A dead job leaves its lane, so the lane's next failure is written at once.
 */
export function logFailedAttempt(
  context: AttemptContext,
  job: ClaimedJob,
  decision: FailureDecision,
  failure: IntercomFailure | undefined,
  nowMs: number,
): void {
  const answer = answerOf(failure);
  const signature = [decision.failureClass, decision.kind, answer.status, answer.code].join(' ');
  const verdict = context.failureLog.admit(laneOf(job), signature, nowMs);
  if (verdict.log) {
    context.logger.warn(failedAttemptLine(job, decision, failure, verdict.held), 'delivery attempt failed');
  }
  if (decision.kind === 'dead') context.failureLog.settle(laneOf(job));
}

/** A job was delivered or skipped: its lane's collapsed failures, if any, are counted in one last line. */
export function logLaneRecovered(context: AttemptContext, job: ClaimedJob): void {
  const repeats = context.failureLog.settle(laneOf(job));
  if (repeats === 0) return;
  context.logger.info(
    { destinationId: job.destinationId, jobId: job.seq, eventType: eventTypeOf(job), repeats },
    'delivered after failures that were not logged one by one',
  );
}
