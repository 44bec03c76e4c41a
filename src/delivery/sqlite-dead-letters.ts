import type Database from 'better-sqlite3';
import type {
  AttemptRecord,
  ClaimedJob,
  Death,
  DeadLetter,
  DeadLetterQuery,
  DeadLetterSelector,
} from './job-store.js';
import type { DeadLetterRow } from './sqlite-rows.js';
import { toDeadLetter } from './sqlite-rows.js';

/** Writes a dead letter for a job: the event, the plan, every attempt and Intercom's last answer. */
export function insertDeadLetter(
  db: Database.Database,
  job: ClaimedJob,
  death: Death,
  attempts: readonly AttemptRecord[],
  nowMs: number,
): void {
  db.prepare(
    `INSERT INTO dead_letters (seq, source_id, message_id, destination_id, lane_key, event_json, received_at,
       reason, status, code, message, plan_json, history_json, died_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    job.seq,
    job.sourceId,
    job.messageId,
    job.destinationId,
    job.laneKey,
    JSON.stringify(job.event),
    job.receivedAt,
    death.reason,
    death.status ?? null,
    death.code ?? null,
    death.message ?? null,
    death.plan === undefined ? null : JSON.stringify(death.plan),
    JSON.stringify(attempts),
    nowMs,
  );
}

/** One page of dead letters, oldest first. */
export function readDeadLetters(db: Database.Database, query: DeadLetterQuery): readonly DeadLetter[] {
  return db
    .prepare<
      [{ destination: string | null; reason: string | null; after: number; limit: number }],
      DeadLetterRow
    >(
      `SELECT * FROM dead_letters WHERE (@destination IS NULL OR destination_id = @destination)
         AND (@reason IS NULL OR reason = @reason) AND id > @after
       ORDER BY id LIMIT @limit`,
    )
    .all({
      destination: query.destinationId ?? null,
      reason: query.reason ?? null,
      after: query.afterId ?? 0,
      limit: query.limit,
    })
    .map(toDeadLetter);
}

/** The raw rows a redrive or purge applies to. */
export function selectDeadLetterRows(
  db: Database.Database,
  selector: DeadLetterSelector,
): readonly DeadLetterRow[] {
  const rows = db
    .prepare<[{ destination: string | null; reason: string | null }], DeadLetterRow>(
      `SELECT * FROM dead_letters WHERE (@destination IS NULL OR destination_id = @destination)
         AND (@reason IS NULL OR reason = @reason) ORDER BY id`,
    )
    .all({ destination: selector.destinationId ?? null, reason: selector.reason ?? null });
  if (selector.ids === undefined) return rows;
  const ids = new Set(selector.ids);
  return rows.filter((row) => ids.has(row.id));
}
