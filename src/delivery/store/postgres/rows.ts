import type { DeadLetterRow, JobRow, PauseRow } from '../rows.js';

// node-postgres returns BIGINT columns as strings (they may exceed 2^53); our seqs, ids and Unix-ms
// times stay far below that, so they become numbers and the SQLite row readers are reused unchanged.

type Bigints<T, K extends keyof T> = Omit<T, K> & {
  readonly [P in K]: T[P] extends number ? string | number : string | number | null;
};

/** A `jobs` row as node-postgres returns it. */
export type PgJobRow = Bigints<JobRow, 'seq' | 'first_attempt_at_ms' | 'locked_until_ms'>;

/** A `dead_letters` row as node-postgres returns it. */
export type PgDeadLetterRow = Bigints<DeadLetterRow, 'id' | 'seq' | 'died_at_ms'>;

/** A `destination_pauses` row as node-postgres returns it. */
export type PgPauseRow = Bigints<PauseRow, 'until_ms' | 'since_ms'>;

function num(value: string | number): number {
  return typeof value === 'number' ? value : Number(value);
}

function optionalNum(value: string | number | null): number | null {
  return value === null ? null : num(value);
}

/** A job row with numbers where SQLite has them. */
export function fromPgJob(row: PgJobRow): JobRow {
  return {
    ...row,
    seq: num(row.seq),
    first_attempt_at_ms: optionalNum(row.first_attempt_at_ms),
    locked_until_ms: optionalNum(row.locked_until_ms),
  };
}

/** A dead-letter row with numbers where SQLite has them. */
export function fromPgDeadLetter(row: PgDeadLetterRow): DeadLetterRow {
  return { ...row, id: num(row.id), seq: num(row.seq), died_at_ms: num(row.died_at_ms) };
}

/** A pause row with numbers where SQLite has them. */
export function fromPgPause(row: PgPauseRow): PauseRow {
  return { ...row, until_ms: optionalNum(row.until_ms), since_ms: num(row.since_ms) };
}
