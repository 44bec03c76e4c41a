import type { ContactUpdates } from '../contact-updates.js';
import {
  type ErasureCount,
  type ErasureKey,
  erasureLane,
  type ErasureRecord,
  type ErasureRequest,
  type ErasureResult,
  type Erasures,
  type ErasureTask,
} from '../erasures.js';
import { StoreReadError } from '../errors.js';
import type { ClaimedDeletionJob, LaneRef } from '../job.js';
import type { Param, SqlDialect } from './dialect.js';
import { countResult, insertJob, refreshHead, unparkLane } from './lane-statements.js';
import type { SqlContext } from './sql-context.js';
import { type BoundStatement, rowsOf, type WriteStep } from './sql-runner.js';

/** The source id deletion jobs carry (no Segment source sent them; no receipt is written for them). */
export const ERASURE_SOURCE_ID = 'erasure';

function erasureStatements(d: SqlDialect) {
  const lane = (p: Param, alias = ''): string =>
    `${alias}destination_id = ${p('destination')} AND ${alias}lane_key = ${p('lane')}`;
  const unleased = (p: Param): string => `(locked_until_ms IS NULL OR locked_until_ms <= ${p('now')})`;
  const row = (p: Param): string => `deletion_id = ${p('id')} AND position = ${p('position')}`;
  return {
    // The count of what the next statement deletes, written before it, in the same transaction.
    insertRecord: d.compile(
      (p) => `
      INSERT INTO erasures (deletion_id, position, destination_id, key_kind, key_salt, key_hash, status,
        requested_at_ms, purged_jobs)
      VALUES (${p('id')}, ${p('position')}, ${p('destination')}, ${p('kind')}, ${p('salt')}, ${p('hash')},
        'pending', ${p('now')}, (SELECT COUNT(*) FROM jobs WHERE ${lane(p)} AND ${unleased(p)}))`,
    ),
    purgeUnleased: d.compile((p) => `DELETE FROM jobs WHERE ${lane(p)} AND ${unleased(p)}`),
    countPurge: d.compile(
      (p) => `
      UPDATE erasures SET
        purged_jobs = purged_jobs + (SELECT COUNT(*) FROM jobs WHERE ${lane(p)} AND seq < ${p('seq')}),
        purged_dead_letters = purged_dead_letters + (SELECT COUNT(*) FROM dead_letters WHERE ${lane(p)})
      WHERE ${row(p)}`,
    ),
    purgeAhead: d.compile((p) => `DELETE FROM jobs WHERE ${lane(p)} AND seq < ${p('seq')}`),
    purgeDeadLetters: d.compile((p) => `DELETE FROM dead_letters WHERE ${lane(p)}`),
    deleteLeased: d.compile((p) => `DELETE FROM jobs WHERE seq = ${p('seq')} AND locked_by = ${p('worker')}`),
    finishRecord: d.compile(
      (p) => `
      UPDATE erasures SET status = ${p('status')}, finished_at_ms = ${p('now')},
        contacts_deleted = ${p('contacts')}, error = ${p('error', 'text')}
      WHERE ${row(p)}`,
    ),
    forgetKey: d.compile(
      (p) =>
        `DELETE FROM contact_ids WHERE destination_id = ${p('destination')}
           AND ((kind = ${p('kind')} AND value = ${p('value')}) OR ${d.inList('contact_id', p('contacts', 'text[]'))})`,
    ),
    forgetAttachments: d.compile(
      (p) =>
        `DELETE FROM company_attachments WHERE destination_id = ${p('destination')}
           AND ${d.inList('contact_id', p('contacts', 'text[]'))}`,
    ),
    forgetUpdateMark: d.compile((p) => `DELETE FROM contact_updates WHERE ${lane(p)}`),
    records: d.compile((p) => `SELECT * FROM erasures WHERE deletion_id = ${p('id')} ORDER BY position`),
    counts: d.compile(
      () =>
        `SELECT destination_id, status, COUNT(*) AS n FROM erasures
         GROUP BY destination_id, status ORDER BY destination_id, status`,
    ),
    lastUpdate: d.compile((p) => `SELECT updated_at_ms FROM contact_updates WHERE ${lane(p)}`),
  };
}

interface ErasureRow {
  readonly deletion_id: string;
  readonly position: number;
  readonly destination_id: string;
  readonly key_kind: string;
  readonly key_salt: string;
  readonly key_hash: string;
  readonly status: string;
  readonly requested_at_ms: number;
  readonly finished_at_ms: number | null;
  readonly purged_jobs: number;
  readonly purged_dead_letters: number;
  readonly contacts_deleted: number;
  readonly error: string | null;
}

function toRecord(row: ErasureRow): ErasureRecord {
  const { key_kind: kind, status } = row;
  if (kind !== 'user_id' && kind !== 'email') throw new StoreReadError(`erasure ${row.deletion_id} key`);
  if (status !== 'pending' && status !== 'done' && status !== 'failed')
    throw new StoreReadError(`erasure ${row.deletion_id} status`);
  return {
    deletionId: row.deletion_id,
    position: row.position,
    destinationId: row.destination_id,
    key: { kind, salt: row.key_salt, hash: row.key_hash },
    status,
    requestedAtMs: row.requested_at_ms,
    ...(row.finished_at_ms === null ? {} : { finishedAtMs: row.finished_at_ms }),
    purgedJobs: row.purged_jobs,
    purgedDeadLetters: row.purged_dead_letters,
    contactsDeleted: row.contacts_deleted,
    ...(row.error === null ? {} : { error: row.error }),
  };
}

/** The id cache's key of an erasure key (emails as the cache keeps them, see `contactKey`). */
function cacheKeyOf(key: ErasureKey): { kind: string; value: string } {
  return key.kind === 'user_id'
    ? { kind: 'external_id', value: key.value }
    : { kind: 'email', value: key.value.trim().toLowerCase() };
}

function laneValues(lane: LaneRef): { destination: string; lane: string } {
  return { destination: lane.destinationId, lane: lane.laneKey };
}

type ErasureStatements = ReturnType<typeof erasureStatements>;

/** Per key: its audit row, the purge of what no worker holds, its deletion job, the lane's head. */
function requestSteps(
  { lanes }: SqlContext,
  s: ErasureStatements,
  { deletionId, destinationId, keys, nowMs }: ErasureRequest,
): WriteStep[] {
  return keys.map(({ key, hashed }, position) => {
    const lane = erasureLane(destinationId, key);
    const values = { ...laneValues(lane), now: nowMs };
    const record = { id: deletionId, position, kind: key.kind, salt: hashed.salt, hash: hashed.hash };
    const task: ErasureTask = { deletionId, position, key };
    return {
      then: [
        { statement: s.insertRecord, values: { ...values, ...record } },
        { statement: s.purgeUnleased, values },
        insertJob(lanes, {
          sourceId: ERASURE_SOURCE_ID,
          messageId: `deletion:${deletionId}:${position}`,
          destinationId,
          laneKey: lane.laneKey,
          eventJson: JSON.stringify(task),
          receivedAt: new Date(nowMs).toISOString(),
          historyJson: '[]',
          kind: 'deletion',
        }),
        ...refreshHead(lanes, lane),
      ],
    };
  });
}

/** The end of a deletion job: its lane moves on, its audit row is finished, and when done the cache forgets. */
function finishStatements(
  { lanes, dialect }: SqlContext,
  s: ErasureStatements,
  job: ClaimedDeletionJob,
  nowMs: number,
  result: ErasureResult,
): BoundStatement[] {
  const { erasure } = job;
  const contacts = result.status === 'done' ? result.contactIds : [];
  const row = {
    id: erasure.deletionId,
    position: erasure.position,
    status: result.status,
    now: nowMs,
    contacts: contacts.length,
    error: result.status === 'failed' ? result.error : null,
  };
  const statements: BoundStatement[] = [
    ...unparkLane(lanes, job),
    countResult(lanes, job.destinationId, result.status === 'done' ? 'erased' : 'erasure_failed'),
    { statement: s.finishRecord, values: row },
  ];
  if (result.status !== 'done') return statements;
  const forget = { destination: job.destinationId, contacts: dialect.list(contacts) };
  return [
    ...statements,
    { statement: s.forgetKey, values: { ...forget, ...cacheKeyOf(erasure.key) } },
    { statement: s.forgetAttachments, values: forget },
    { statement: s.forgetUpdateMark, values: laneValues(job) },
  ];
}

/** L-4's deletions and L-5's update marks in SQL. */
export function createSqlErasures(context: SqlContext): Erasures & ContactUpdates {
  const { runner, dialect } = context;
  const s = erasureStatements(dialect);
  return {
    async requestErasure(request) {
      const laneRefs = request.keys.map(({ key }) => erasureLane(request.destinationId, key));
      const steps = requestSteps(context, s, request);
      await runner.transact('request erasure', 'durable', { lanes: laneRefs, steps });
    },
    async purgeErasedLane(job) {
      const values = { ...laneValues(job), seq: job.seq };
      const row = { id: job.erasure.deletionId, position: job.erasure.position };
      const results = await runner.transact('purge erased lane', 'durable', {
        lanes: [job],
        steps: [
          { then: [{ statement: s.countPurge, values: { ...values, ...row } }] },
          { then: [{ statement: s.purgeAhead, values }] },
          { then: [{ statement: s.purgeDeadLetters, values }] },
        ],
      });
      return { jobs: results[1]?.changes ?? 0, deadLetters: results[2]?.changes ?? 0 };
    },
    async finishErasure(job, record, result) {
      const guard = { statement: s.deleteLeased, values: { seq: job.seq, worker: job.lockedBy } };
      const then = finishStatements(context, s, job, record.atMs, result);
      const [step] = await runner.transact('finish erasure', 'durable', {
        lanes: [job],
        steps: [{ guard, then }],
      });
      return step?.applied ?? false;
    },
    async erasureRecords(deletionId) {
      const result = await runner.query('read erasure', { statement: s.records, values: { id: deletionId } });
      return rowsOf<ErasureRow>(result).map(toRecord);
    },
    async erasureCounts(): Promise<ErasureCount[]> {
      const result = await runner.query('erasure counts', { statement: s.counts, values: {} });
      return rowsOf<{ destination_id: string; status: string; n: number }>(result).flatMap((r) =>
        r.status === 'pending' || r.status === 'done' || r.status === 'failed'
          ? [{ destinationId: r.destination_id, status: r.status, count: r.n }]
          : [],
      );
    },
    async lastContactUpdateMs(lane) {
      const result = await runner.query('read update mark', {
        statement: s.lastUpdate,
        values: laneValues(lane),
      });
      return rowsOf<{ updated_at_ms: number }>(result)[0]?.updated_at_ms;
    },
  };
}
