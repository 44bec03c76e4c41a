import type { LaneRef } from '../job.js';
import type { SqlDialect, SqlValues, Statement } from './dialect.js';
import type { BoundStatement } from './sql-runner.js';

/**
 * The statements that keep lanes in order (C-RACE-1, C-RACE-2), shared by every write that changes
 * which job heads a lane: enqueue, complete and un-park, park, kill, redrive. `is_head` is 1 on the
 * lowest-seq pending job of each lane and is kept so in the transaction of every such write, so a
 * claim reads lane heads and parked jobs only (see `claim-query.ts`).
 */
export interface LaneStatements {
  /**
   * Inserts a job; it heads its lane when the lane has no pending job yet (a batch inserts in order,
   * in one transaction; where writers run concurrently the lane is locked first). SQLite's enqueue
   * writes a group's jobs with statements of its own to the same rule (`sqlite/enqueue.ts`).
   */
  readonly insertJob: Statement;
  /**
   * L-3: puts a redriven dead letter back under the seq it had when it died, so it sorts before every
   * job queued after it and heads its lane again (followed by a head refresh). The seq is free: the
   * job's row left `jobs` when it died, and seqs are never handed out twice.
   */
  readonly reinsertJob: Statement;
  /** The first half of a head refresh: no job of the lane is its head. */
  readonly clearHead: Statement;
  /** The second half: the lane's lowest-seq pending job is. */
  readonly setHead: Statement;
  /**
   * C-RACE-2: the lane moved on (typically the identify created the user), so its parked tracks become
   * pending again with their original seq: the head of the lane, before later jobs.
   */
  readonly unpark: Statement;
  /** Counts one finished job (`delivered`, `skipped:<reason>`, `dead:<reason>`). */
  readonly countResult: Statement;
}

/** The lane statements in one engine's SQL. */
export function laneStatements(d: SqlDialect): LaneStatements {
  return {
    insertJob: d.compile(
      (p) => `
      INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, replayed, kind, is_head)
      VALUES (${p('source')}, ${p('message')}, ${p('destination')}, ${p('lane')}, ${p('event')}, ${p('receivedAt')}, ${p('history')},
        ${p('replayed')}, ${p('kind')},
        NOT EXISTS (SELECT 1 FROM jobs WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND status = 'pending'))`,
    ),
    reinsertJob: d.compile(
      (p) => `
      INSERT INTO jobs (seq, source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
      VALUES (${p('seq')}, ${p('source')}, ${p('message')}, ${p('destination')}, ${p('lane')}, ${p('event')}, ${p('receivedAt')}, ${p('history')},
        ${d.false})`,
    ),
    clearHead: d.compile(
      (p) =>
        `UPDATE jobs SET is_head = ${d.false}
         WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND ${d.isSet('is_head')}`,
    ),
    setHead: d.compile(
      (p) => `
      UPDATE jobs SET is_head = ${d.true} WHERE seq = (
        SELECT seq FROM jobs WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND status = 'pending'
        ORDER BY seq LIMIT 1)`,
    ),
    unpark: d.compile(
      (p) =>
        `UPDATE jobs SET status = 'pending', run_at_ms = 0
         WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND status = 'parked'`,
    ),
    countResult: d.compile(
      (p) => `
      INSERT INTO delivery_counts (destination_id, result, count) VALUES (${p('destination')}, ${p('result')}, 1)
      ON CONFLICT (destination_id, result) DO UPDATE SET count = delivery_counts.count + 1`,
    ),
  };
}

/** The values that name a lane in the lane statements. */
function laneValues(lane: LaneRef): { destination: string; lane: string } {
  return { destination: lane.destinationId, lane: lane.laneKey };
}

/** Moves a lane's head flag to its lowest-seq pending job (after a job left, parked or un-parked). */
export function refreshHead(s: LaneStatements, lane: LaneRef): BoundStatement[] {
  const values = laneValues(lane);
  return [
    { statement: s.clearHead, values },
    { statement: s.setHead, values },
  ];
}

/** C-RACE-2 un-parking of a lane, then its head refresh. */
export function unparkLane(s: LaneStatements, lane: LaneRef): BoundStatement[] {
  return [{ statement: s.unpark, values: laneValues(lane) }, ...refreshHead(s, lane)];
}

/** Counts one finished job of a destination. */
export function countResult(s: LaneStatements, destinationId: string, result: string): BoundStatement {
  return { statement: s.countResult, values: { destination: destinationId, result } };
}

/** A job row to insert: a new event, a redriven dead letter, or a deletion (its task as `eventJson`). */
export interface JobInsert {
  readonly sourceId: string;
  readonly messageId: string;
  readonly destinationId: string;
  readonly laneKey: string;
  readonly eventJson: string;
  readonly receivedAt: string;
  readonly historyJson: string;
  /** L-5: stored by a replay; default false. */
  readonly replayed?: boolean;
  /** Default `event`. */
  readonly kind?: 'event' | 'deletion';
}

/** The values of `insertJob` for a job row and its attempt history so far. */
export function jobInsertValues(job: Omit<JobInsert, 'historyJson'>, historyJson: string): SqlValues {
  return {
    source: job.sourceId,
    message: job.messageId,
    destination: job.destinationId,
    lane: job.laneKey,
    event: job.eventJson,
    receivedAt: job.receivedAt,
    history: historyJson,
    replayed: job.replayed === true ? 1 : 0,
    kind: job.kind ?? 'event',
  };
}

/** Inserts a job at the tail of its lane. */
export function insertJob(s: LaneStatements, job: JobInsert): BoundStatement {
  return { statement: s.insertJob, values: jobInsertValues(job, job.historyJson) };
}

/** L-3: puts a dead letter's job back under its old `seq`, at the head of its lane. */
export function reinsertJob(s: LaneStatements, job: JobInsert & { readonly seq: number }): BoundStatement[] {
  return [
    { statement: s.reinsertJob, values: { ...jobInsertValues(job, job.historyJson), seq: job.seq } },
    ...refreshHead(s, job),
  ];
}
