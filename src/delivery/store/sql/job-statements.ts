import type { SqlDialect, Statement } from './dialect.js';

/** The statements of a claimed job's life (the lane statements are shared with enqueue and redrive). */
export interface JobStatements {
  readonly claim: Statement;
  readonly renew: Statement;
  readonly followerCandidates: Statement;
  readonly leaseFollower: Statement;
  readonly deleteJob: Statement;
  readonly deleteLeasedJob: Statement;
  readonly unlock: Statement;
  /** L-4: drops a job instead of unlocking it when a deletion waits behind it in its lane. */
  readonly dropBeforeErasure: Statement;
  readonly release: Statement;
  readonly releaseWorker: Statement;
  readonly insertDeadLetter: Statement;
  /** L-5: a lane's newest delivered identify time, only ever moved forward. */
  readonly markContactUpdate: Statement;
  /** L-2: keeps a failed attempt as its destination's last failure (a later one never loses to an earlier). */
  readonly noteFailure: Statement;
}

/** The job statements in one engine's SQL; `claim` is the ordering query's (see `claim-query.ts`). */
export function jobStatements(d: SqlDialect, claim: Statement): JobStatements {
  return { ...leaseStatements(d, claim), ...lifecycleStatements(d) };
}

/** The statements of L-2, L-4 and L-5 that settle jobs. */
function lifecycleStatements(
  d: SqlDialect,
): Pick<JobStatements, 'markContactUpdate' | 'dropBeforeErasure' | 'noteFailure'> {
  return {
    noteFailure: d.compile(
      (p) => `
      INSERT INTO destination_failures (destination_id, failure_class, status, code, at_ms)
      VALUES (${p('destination')}, ${p('class')}, ${p('status', 'integer')}, ${p('code', 'text')}, ${p('at')})
      ON CONFLICT (destination_id) DO UPDATE SET failure_class = excluded.failure_class,
        status = excluded.status, code = excluded.code, at_ms = excluded.at_ms
      WHERE excluded.at_ms >= destination_failures.at_ms`,
    ),
    markContactUpdate: d.compile(
      (p) =>
        `INSERT INTO contact_updates (destination_id, lane_key, updated_at_ms)
         VALUES (${p('destination')}, ${p('lane')}, ${p('at')})
         ON CONFLICT (destination_id, lane_key) DO UPDATE
         SET updated_at_ms = ${d.greatest('contact_updates.updated_at_ms', 'excluded.updated_at_ms')}`,
    ),
    dropBeforeErasure: d.compile(
      (p) =>
        `DELETE FROM jobs WHERE seq = ${p('seq')} AND locked_by = ${p('worker')} AND kind = 'event' AND EXISTS (
           SELECT 1 FROM jobs AS e WHERE e.destination_id = ${p('destination')} AND e.lane_key = ${p('lane')}
             AND e.kind = 'deletion' AND e.seq > ${p('seq')})`,
    ),
  };
}

function leaseStatements(
  d: SqlDialect,
  claim: Statement,
): Omit<JobStatements, 'markContactUpdate' | 'dropBeforeErasure' | 'noteFailure'> {
  return {
    claim,
    renew: d.compile(
      (p) =>
        `UPDATE jobs SET locked_until_ms = ${p('until')}
         WHERE locked_by = ${p('worker')} AND ${d.inList('seq', p('seqs', 'bigint[]'))}`,
    ),
    followerCandidates: d.compile(
      (p) =>
        `SELECT * FROM jobs
         WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND status = 'pending'
           AND seq > ${p('seq')}
         ORDER BY seq LIMIT ${p('limit')}`,
    ),
    leaseFollower: d.compile(
      (p) =>
        `UPDATE jobs SET locked_by = ${p('worker')}, locked_until_ms = ${p('until')}
         WHERE seq = ${p('seq')} AND status = 'pending'
           AND (locked_until_ms IS NULL OR locked_until_ms <= ${p('now')})`,
    ),
    deleteJob: d.compile((p) => `DELETE FROM jobs WHERE seq = ${p('seq')}`),
    deleteLeasedJob: d.compile(
      (p) => `DELETE FROM jobs WHERE seq = ${p('seq')} AND locked_by = ${p('worker')}`,
    ),
    unlock: d.compile(
      (p) =>
        `UPDATE jobs SET status = ${p('status')}, run_at_ms = ${p('runAt')}, locked_by = NULL,
           locked_until_ms = NULL, attempts = attempts + ${p('counted')},
           first_attempt_at_ms = COALESCE(first_attempt_at_ms, CASE WHEN ${p('counted')} = 1 THEN ${p('at', 'bigint')} END),
           last_error = COALESCE(${p('error')}, last_error), history_json = ${p('history')}
         WHERE seq = ${p('seq')} AND locked_by = ${p('worker')}`,
    ),
    release: d.compile(
      (p) =>
        `UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL
         WHERE seq = ${p('seq')} AND locked_by = ${p('worker')}`,
    ),
    releaseWorker: d.compile(
      (p) => `UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE locked_by = ${p('worker')}`,
    ),
    insertDeadLetter: d.compile(
      (p) => `
      INSERT INTO dead_letters (seq, source_id, message_id, destination_id, lane_key, event_json,
        received_at, reason, status, code, message, plan_json, history_json, died_at_ms)
      VALUES (${p('seq')}, ${p('source')}, ${p('message')}, ${p('destination')}, ${p('lane')},
        ${p('event')}, ${p('receivedAt')}, ${p('reason')}, ${p('status')}, ${p('code')}, ${p('messageText')},
        ${p('plan')}, ${p('history')}, ${p('diedAt')})`,
    ),
  };
}
