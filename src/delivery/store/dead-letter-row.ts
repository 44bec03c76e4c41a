import type { AttemptRecord, ClaimedJob, Death } from './job-store.js';

/** The dead_letters columns in insert order, shared by the SQLite and PostgreSQL stores. */
export const DEAD_LETTER_COLUMNS =
  'seq, source_id, message_id, destination_id, lane_key, event_json, received_at, reason, status, code, message, plan_json, history_json, died_at_ms';

/** The values of one dead letter, in `DEAD_LETTER_COLUMNS` order: the event, the plan, every attempt, Intercom's answer. */
export function deadLetterValues(
  job: ClaimedJob,
  death: Death,
  attempts: readonly AttemptRecord[],
  nowMs: number,
): (string | number | null)[] {
  return [
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
  ];
}
