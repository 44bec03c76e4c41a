import type Database from 'better-sqlite3';
import type {
  AttemptRecord,
  ClaimedJob,
  Death,
  DeadLetter,
  DeadLetterQuery,
  DeadLetterSelector,
} from '../job-store.js';
import type { DeadLetterRow } from '../rows.js';
import { toDeadLetter } from '../rows.js';
import { DEAD_LETTER_COLUMNS, deadLetterValues } from '../dead-letter-row.js';

/** Writes a dead letter for a job: the event, the plan, every attempt and Intercom's last answer. */
export function insertDeadLetter(
  db: Database.Database,
  job: ClaimedJob,
  death: Death,
  attempts: readonly AttemptRecord[],
  nowMs: number,
): void {
  db.prepare(
    `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...deadLetterValues(job, death, attempts, nowMs));
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
