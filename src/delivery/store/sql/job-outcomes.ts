import { appendAttempt, completedResult } from '../attempt-history.js';
import type { Death } from '../dead-letters.js';
import type { AttemptRecord, ClaimedEventJob, ClaimedJob, JobStatus } from '../job.js';
import type { LaneClaims } from '../lane-claims.js';
import { countResult, refreshHead, unparkLane } from './lane-statements.js';
import type { SqlContext } from './sql-context.js';
import type { BoundStatement } from './sql-runner.js';

/** The settling half of `LaneClaims` in SQL: what happens to a claimed job after an attempt. */
export type SqlOutcomes = Pick<LaneClaims, 'complete' | 'reschedule' | 'park' | 'kill'>;

/** Settles jobs through an engine's runner, each write with its lane's head refresh in one transaction. */
export function createSqlOutcomes(context: SqlContext): SqlOutcomes {
  const { runner, lanes, jobs } = context;
  return {
    async complete(job, record) {
      await runner.transact('complete', 'relaxed', {
        lanes: [job],
        steps: [
          {
            then: [
              { statement: jobs.deleteJob, values: { seq: job.seq } },
              ...unparkLane(lanes, job),
              countResult(lanes, job.destinationId, completedResult(record)),
              ...contactUpdateMark(context, job, record),
            ],
          },
        ],
      });
    },
    // The status stays: a parked track retried on its timer and answered 5xx is still waiting for its user.
    reschedule: (job, runAtMs, record, options) =>
      unlock(context, 'reschedule', job, job.status, runAtMs, record, options.countsAsAttempt),
    park: (job, runAtMs, record) => unlock(context, 'park', job, 'parked', runAtMs, record, record.counted),
    async kill(job, death, record, nowMs) {
      // A dead letter keeps the event; a deletion's task holds the key it erases, which must not stay.
      if (job.kind !== 'event')
        throw new TypeError('a deletion job ends with finishErasure, never as a dead letter');
      const guard = { statement: jobs.deleteLeasedJob, values: { seq: job.seq, worker: job.lockedBy } };
      const then = [
        deadLetter(context, job, death, [...job.history, record], nowMs),
        ...refreshHead(lanes, job),
        countResult(lanes, job.destinationId, `dead:${death.reason}`),
        ...failureNote(context, job, record),
      ];
      const [step] = await runner.transact('kill', 'durable', { lanes: [job], steps: [{ guard, then }] });
      return step?.applied ?? false;
    },
  };
}

/** L-5: a delivered identify records its event time as the lane's newest attribute update. */
function contactUpdateMark({ jobs }: SqlContext, job: ClaimedJob, record: AttemptRecord): BoundStatement[] {
  if (job.kind !== 'event' || job.event.type !== 'identify' || record.decision !== 'done') return [];
  const at = Date.parse(job.event.timestamp);
  if (Number.isNaN(at)) return [];
  return [
    { statement: jobs.markContactUpdate, values: { destination: job.destinationId, lane: job.laneKey, at } },
  ];
}

/** Unlocks a job to run again at `runAtMs` as `status`; the lane's head moves when its status changes. */
async function unlock(
  { runner, lanes, jobs }: SqlContext,
  operation: string,
  job: ClaimedJob,
  status: JobStatus,
  runAtMs: number,
  record: AttemptRecord,
  counted: boolean,
): Promise<boolean> {
  const values = {
    status,
    runAt: runAtMs,
    counted: counted ? 1 : 0,
    at: record.atMs,
    error: record.failure === undefined ? null : JSON.stringify(record.failure),
    history: JSON.stringify(appendAttempt(job.history, record)),
    seq: job.seq,
    worker: job.lockedBy,
  };
  const note = failureNote({ jobs }, job, record);
  const then = [...(status === job.status ? [] : refreshHead(lanes, job)), ...note];
  // L-4: a job that failed after its user asked to be forgotten is not tried again; the deletion
  // waiting behind it in the lane runs next.
  const drop = {
    statement: jobs.dropBeforeErasure,
    values: { seq: job.seq, worker: job.lockedBy, destination: job.destinationId, lane: job.laneKey },
  };
  const steps = [
    {
      guard: drop,
      then: [...refreshHead(lanes, job), countResult(lanes, job.destinationId, 'skipped:erased'), ...note],
    },
    { guard: { statement: jobs.unlock, values }, then },
  ];
  const [dropped, unlocked] = await runner.transact(operation, 'relaxed', { lanes: [job], steps });
  return dropped?.applied === true || unlocked?.applied === true;
}

/**
 * L-2: a failed attempt becomes its destination's last failure, in the attempt's own transaction (so
 * every process sharing the queue reports it); nothing for an attempt without a failure class.
 */
function failureNote(
  { jobs }: Pick<SqlContext, 'jobs'>,
  job: ClaimedJob,
  record: AttemptRecord,
): BoundStatement[] {
  if (record.failureClass === undefined) return [];
  const failure = record.failure;
  const status = failure?.kind === 'http' || failure?.kind === 'identity_conflict' ? failure.status : null;
  const code = failure === undefined ? null : failure.kind === 'http' ? (failure.code ?? null) : failure.kind;
  const values = {
    destination: job.destinationId,
    class: record.failureClass,
    status,
    code,
    at: record.atMs,
  };
  return [{ statement: jobs.noteFailure, values }];
}

/** The dead letter of a job: the event, the plan, every attempt and Intercom's last answer. */
function deadLetter(
  { jobs }: SqlContext,
  job: ClaimedEventJob,
  death: Death,
  attempts: readonly AttemptRecord[],
  nowMs: number,
): BoundStatement {
  return {
    statement: jobs.insertDeadLetter,
    values: {
      seq: job.seq,
      source: job.sourceId,
      message: job.messageId,
      destination: job.destinationId,
      lane: job.laneKey,
      event: JSON.stringify(job.event),
      receivedAt: job.receivedAt,
      reason: death.reason,
      status: death.status ?? null,
      code: death.code ?? null,
      messageText: death.message ?? null,
      plan: death.plan === undefined ? null : JSON.stringify(death.plan),
      history: JSON.stringify(attempts),
      diedAt: nowMs,
    },
  };
}
