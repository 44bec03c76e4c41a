import type { DestinationPauses } from '../pauses.js';
import type { SqlDialect } from './dialect.js';
import { type PauseRow, toPause } from './rows.js';
import type { SqlContext } from './sql-context.js';
import { rowsOf, transactOne } from './sql-runner.js';

function pauseStatements(d: SqlDialect) {
  // The merge rule: a timed pause (429) never shortens another timed pause nor lifts an open-ended one
  // (rejected token); an open-ended pause replaces a timed one. `since` stays while a pause lasts.
  const upsert = d.compile(
    (p) => `
    INSERT INTO destination_pauses (destination_id, reason, until_ms, since_ms)
    VALUES (${p('id')}, ${p('reason')}, ${p('until')}, ${p('now')})
    ON CONFLICT (destination_id) DO UPDATE SET
      reason = CASE WHEN destination_pauses.until_ms IS NULL AND excluded.until_ms IS NOT NULL
                    THEN destination_pauses.reason ELSE excluded.reason END,
      until_ms = CASE WHEN destination_pauses.until_ms IS NULL OR excluded.until_ms IS NULL THEN NULL
                      ELSE ${d.greatest('destination_pauses.until_ms', 'excluded.until_ms')} END,
      since_ms = CASE WHEN destination_pauses.until_ms IS NULL OR destination_pauses.until_ms > ${p('now')}
                      THEN destination_pauses.since_ms ELSE excluded.since_ms END`,
  );
  return {
    upsert,
    remove: d.compile((p) => `DELETE FROM destination_pauses WHERE destination_id = ${p('id')}`),
    inForce: d.compile(
      (p) =>
        `SELECT * FROM destination_pauses WHERE until_ms IS NULL OR until_ms > ${p('now')}
         ORDER BY destination_id`,
    ),
  };
}

/** Destination pauses in SQL: rows every claim reads (see `claim-query.ts`). */
export function createSqlPauses({ runner, dialect }: SqlContext): DestinationPauses {
  const s = pauseStatements(dialect);
  return {
    async pauseDestination(destinationId, untilMs, reason, nowMs) {
      const values = { id: destinationId, reason, until: untilMs ?? null, now: nowMs };
      await transactOne(runner, 'pause', 'durable', { statement: s.upsert, values });
    },
    async resumeDestination(destinationId) {
      await transactOne(runner, 'resume', 'durable', { statement: s.remove, values: { id: destinationId } });
    },
    async pausedDestinations(nowMs) {
      const result = await runner.query('read pauses', { statement: s.inForce, values: { now: nowMs } });
      return rowsOf<PauseRow>(result).map(toPause);
    },
  };
}
