import type { Receipts } from '../enqueue.js';
import type { QueueDepth, QueueReports } from '../reports.js';
import type { SqlDialect } from './dialect.js';
import type { SqlContext } from './sql-context.js';
import { type FailureRow, toDestinationFailure } from './rows.js';
import { rowsOf, transactOne, type WriteStep } from './sql-runner.js';

function reportStatements(d: SqlDialect) {
  return {
    jobDepths: d.compile(
      (p) =>
        `SELECT destination_id,
           COUNT(*) FILTER (WHERE status = 'pending') AS pending,
           COUNT(*) FILTER (WHERE status = 'parked') AS parked,
           COUNT(*) FILTER (WHERE locked_until_ms > ${p('now')}) AS in_flight,
           MIN(received_at) AS oldest
         FROM jobs GROUP BY destination_id`,
    ),
    deadDepths: d.compile(
      () => 'SELECT destination_id, COUNT(*) AS dead FROM dead_letters GROUP BY destination_id',
    ),
    counts: d.compile(() => 'SELECT * FROM delivery_counts ORDER BY destination_id, result'),
    noteName: d.compile(
      (p) =>
        `INSERT INTO event_names (destination_id, name, first_seen_ms) VALUES (${p('id')}, ${p('name')}, ${p('now')})
         ON CONFLICT DO NOTHING`,
    ),
    nameCount: d.compile((p) => `SELECT COUNT(*) AS n FROM event_names WHERE destination_id = ${p('id')}`),
    nameCounts: d.compile(
      () =>
        'SELECT destination_id, COUNT(*) AS n FROM event_names GROUP BY destination_id ORDER BY destination_id',
    ),
    pruneReceipts: d.compile((p) => `DELETE FROM receipts WHERE received_at_ms < ${p('before')}`),
    lastFailures: d.compile(() => 'SELECT * FROM destination_failures ORDER BY destination_id'),
  };
}

interface JobDepthRow {
  readonly destination_id: string;
  readonly pending: number;
  readonly parked: number;
  readonly in_flight: number;
  readonly oldest: string;
}

/** Queue depth per destination from one scan of the jobs and one of the dead letters. */
function mergeDepths(
  jobs: readonly JobDepthRow[],
  dead: readonly { destination_id: string; dead: number }[],
): QueueDepth[] {
  const depths = new Map<string, QueueDepth>();
  for (const row of jobs) {
    depths.set(row.destination_id, {
      destinationId: row.destination_id,
      pending: row.pending,
      parked: row.parked,
      inFlight: row.in_flight,
      deadLetters: 0,
      oldestReceivedAt: row.oldest,
    });
  }
  for (const row of dead) {
    const known = depths.get(row.destination_id);
    depths.set(row.destination_id, {
      ...(known ?? { destinationId: row.destination_id, pending: 0, parked: 0, inFlight: 0 }),
      deadLetters: row.dead,
    });
  }
  return [...depths.values()].sort((a, b) => a.destinationId.localeCompare(b.destinationId));
}

/** Queue reports and receipt pruning in SQL. */
export function createSqlReports({ runner, dialect }: SqlContext): QueueReports & Receipts {
  const s = reportStatements(dialect);
  return {
    async queueDepth(nowMs) {
      const jobs = await runner.query('queue depth', { statement: s.jobDepths, values: { now: nowMs } });
      const dead = await runner.query('queue depth', { statement: s.deadDepths, values: {} });
      return mergeDepths(rowsOf(jobs), rowsOf(dead));
    },
    async deliveryCounts() {
      const result = await runner.query('read counts', { statement: s.counts, values: {} });
      return rowsOf<{ destination_id: string; result: string; count: number }>(result).map((row) => ({
        destinationId: row.destination_id,
        result: row.result,
        count: row.count,
      }));
    },
    async eventNameCounts() {
      const result = await runner.query('event name counts', { statement: s.nameCounts, values: {} });
      return rowsOf<{ destination_id: string; n: number }>(result).map((r) => ({
        destinationId: r.destination_id,
        count: r.n,
      }));
    },
    async noteEventNames(destinationId, names, nowMs) {
      const notes: WriteStep[] = names.map((name) => ({
        guard: { statement: s.noteName, values: { id: destinationId, name, now: nowMs } },
      }));
      const count = { then: [{ statement: s.nameCount, values: { id: destinationId } }] };
      const results = await runner.transact('note event names', 'relaxed', {
        lanes: [],
        steps: [...notes, count],
      });
      const added = names.filter((_, i) => results[i]?.applied === true);
      return { count: rowsOf<{ n: number }>(results[names.length])[0]?.n ?? 0, added };
    },
    async lastFailures() {
      const result = await runner.query('last failures', { statement: s.lastFailures, values: {} });
      return rowsOf<FailureRow>(result).map(toDestinationFailure);
    },
    async pruneReceipts(beforeMs) {
      const bound = { statement: s.pruneReceipts, values: { before: beforeMs } };
      return (await transactOne(runner, 'prune receipts', 'durable', bound)).changes;
    },
  };
}
