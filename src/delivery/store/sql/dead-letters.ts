import type { DeadLetterSelector, DeadLetterStore } from '../dead-letters.js';
import type { Param, SqlDialect, SqlValues } from './dialect.js';
import { reinsertJob } from './lane-statements.js';
import { type DeadLetterRow, toDeadLetter } from './rows.js';
import type { SqlContext } from './sql-context.js';
import { rowsOf, transactOne, type WriteStep } from './sql-runner.js';

/** The filter of a selector: by destination and reason when given, and by ids when given. */
function selectorFilter(d: SqlDialect, p: Param): string {
  return `(${p('destination', 'text')} IS NULL OR destination_id = ${p('destination')})
    AND (${p('reason', 'text')} IS NULL OR reason = ${p('reason')})
    AND (${p('ids', 'bigint[]')} IS NULL OR ${d.inList('id', p('ids', 'bigint[]'))})`;
}

function selectorValues(d: SqlDialect, selector: DeadLetterSelector): SqlValues {
  return {
    destination: selector.destinationId ?? null,
    reason: selector.reason ?? null,
    ids: d.list(selector.ids),
  };
}

function deadLetterStatements(d: SqlDialect) {
  return {
    page: d.compile(
      (p) =>
        `SELECT * FROM dead_letters
         WHERE (${p('destination', 'text')} IS NULL OR destination_id = ${p('destination')})
           AND (${p('reason', 'text')} IS NULL OR reason = ${p('reason')}) AND id > ${p('after')}
         ORDER BY id LIMIT ${p('limit')}`,
    ),
    newest: d.compile(
      (p) =>
        `SELECT * FROM dead_letters
         WHERE (${p('destination', 'text')} IS NULL OR destination_id = ${p('destination')})
           AND (${p('reason', 'text')} IS NULL OR reason = ${p('reason')})
         ORDER BY id DESC LIMIT ${p('limit')}`,
    ),
    one: d.compile((p) => `SELECT * FROM dead_letters WHERE id = ${p('id')}`),
    select: d.compile((p) => `SELECT * FROM dead_letters WHERE ${selectorFilter(d, p)} ORDER BY id`),
    purge: d.compile((p) => `DELETE FROM dead_letters WHERE ${selectorFilter(d, p)}`),
    remove: d.compile((p) => `DELETE FROM dead_letters WHERE id = ${p('id')}`),
  };
}

/** The dead letters in SQL: pages for `dlq list`, redrive to the head of their lanes (L-3), purge. */
export function createSqlDeadLetters({ runner, dialect, lanes }: SqlContext): DeadLetterStore {
  const s = deadLetterStatements(dialect);
  return {
    async listDeadLetters(query) {
      const filter = { destination: query.destinationId ?? null, reason: query.reason ?? null };
      const bound =
        query.newestFirst === true
          ? { statement: s.newest, values: { ...filter, limit: query.limit } }
          : { statement: s.page, values: { ...filter, after: query.afterId ?? 0, limit: query.limit } };
      const result = await runner.query('list dead letters', bound);
      return rowsOf<DeadLetterRow>(result).map(toDeadLetter);
    },
    async deadLetter(id) {
      const result = await runner.query('read dead letter', { statement: s.one, values: { id } });
      const [row] = rowsOf<DeadLetterRow>(result);
      return row === undefined ? undefined : toDeadLetter(row);
    },
    async redriveDeadLetters(selector) {
      const values = selectorValues(dialect, selector);
      const rows = rowsOf<DeadLetterRow>(await runner.query('redrive', { statement: s.select, values }));
      // Each one once, even beside a concurrent redrive: its row is deleted first, and a dead letter
      // already gone is skipped. L-3: its old seq puts the event back at the head of its lane, before
      // the jobs queued after it died, so C-RACE-1's order holds; attempts restart, the history is kept.
      const steps: WriteStep[] = rows.map((row) => ({
        guard: { statement: s.remove, values: { id: row.id } },
        then: [
          ...reinsertJob(lanes, {
            seq: row.seq,
            sourceId: row.source_id,
            messageId: row.message_id,
            destinationId: row.destination_id,
            laneKey: row.lane_key,
            eventJson: row.event_json,
            receivedAt: row.received_at,
            historyJson: row.history_json,
          }),
        ],
      }));
      const laneRefs = rows.map((row) => ({ destinationId: row.destination_id, laneKey: row.lane_key }));
      const results = await runner.transact('redrive', 'durable', { lanes: laneRefs, steps });
      return results.filter((result) => result.applied).length;
    },
    async purgeDeadLetters(selector) {
      const values = selectorValues(dialect, selector);
      return (await transactOne(runner, 'purge', 'durable', { statement: s.purge, values })).changes;
    },
  };
}
