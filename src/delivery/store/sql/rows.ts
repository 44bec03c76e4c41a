import type { Plan } from '../../../intercom/operations.js';
import type { SegmentEvent } from '../../../segment/event.js';
import { isJsonObject } from '../../../segment/json.js';
import { type DeadLetter, isDeadReason } from '../dead-letters.js';
import type { ErasureTask } from '../erasures.js';
import { StoreReadError } from '../errors.js';
import type { AttemptRecord, ClaimedJob, FailureClass, JobStatus } from '../job.js';
import type { DestinationPause } from '../pauses.js';
import type { DestinationFailure } from '../reports.js';

// Rows as both engines return them: PostgreSQL's BIGINT columns are parsed as numbers (see
// `postgres-store.ts`), so one reader serves both.

/** A `jobs` row. */
export interface JobRow {
  readonly seq: number;
  readonly source_id: string;
  readonly message_id: string;
  readonly destination_id: string;
  readonly lane_key: string;
  readonly event_json: string;
  readonly received_at: string;
  readonly status: string;
  readonly attempts: number;
  readonly first_attempt_at_ms: number | null;
  readonly history_json: string;
  readonly locked_by: string | null;
  readonly locked_until_ms: number | null;
  readonly replayed: number;
  readonly kind: string;
}

/** A `dead_letters` row. */
export interface DeadLetterRow {
  readonly id: number;
  readonly seq: number;
  readonly source_id: string;
  readonly message_id: string;
  readonly destination_id: string;
  readonly lane_key: string;
  readonly event_json: string;
  readonly received_at: string;
  readonly reason: string;
  readonly status: number | null;
  readonly code: string | null;
  readonly message: string | null;
  readonly plan_json: string | null;
  readonly history_json: string;
  readonly died_at_ms: number;
}

/** A `destination_pauses` row. */
export interface PauseRow {
  readonly destination_id: string;
  readonly reason: string;
  readonly until_ms: number | null;
  readonly since_ms: number;
}

/** A `destination_failures` row. */
export interface FailureRow {
  readonly destination_id: string;
  readonly failure_class: string;
  readonly status: number | null;
  readonly code: string | null;
  readonly at_ms: number;
}

/** Every L-1 class, as a record so that a class added without listing it here fails to compile. */
const FAILURE_CLASS_TABLE: Readonly<Record<FailureClass, true>> = {
  rate_limited: true,
  token_rejected: true,
  transient: true,
  waiting_for_identity: true,
  permanent: true,
};

/** A destination's last failure from its row. */
export function toDestinationFailure(row: FailureRow): DestinationFailure {
  const failureClass = row.failure_class;
  if (!Object.hasOwn(FAILURE_CLASS_TABLE, failureClass))
    throw new StoreReadError(`last failure of ${row.destination_id}`);
  return {
    destinationId: row.destination_id,
    failureClass: failureClass as FailureClass,
    ...(row.status === null ? {} : { status: row.status }),
    ...(row.code === null ? {} : { code: row.code }),
    atMs: row.at_ms,
  };
}

/** A claimed job from its row (the lease columns must be set). */
export function toClaimedJob(row: JobRow): ClaimedJob {
  if (row.status !== 'pending' && row.status !== 'parked') throw new StoreReadError(`job ${row.seq} status`);
  const status: JobStatus = row.status;
  const common = {
    seq: row.seq,
    sourceId: row.source_id,
    messageId: row.message_id,
    destinationId: row.destination_id,
    laneKey: row.lane_key,
    receivedAt: row.received_at,
    status,
    attempts: row.attempts,
    ...(row.first_attempt_at_ms === null ? {} : { firstAttemptAtMs: row.first_attempt_at_ms }),
    history: parseHistory(row.history_json, `job ${row.seq} history`),
    replayed: row.replayed === 1,
    lockedBy: row.locked_by ?? '',
    lockedUntilMs: row.locked_until_ms ?? 0,
  };
  if (row.kind === 'deletion') {
    return { ...common, kind: 'deletion', erasure: parseErasure(row.event_json, `job ${row.seq} deletion`) };
  }
  if (row.kind !== 'event') throw new StoreReadError(`job ${row.seq} kind`);
  return { ...common, kind: 'event', event: parseEvent(row.event_json, `job ${row.seq} event`) };
}

/** A dead letter from its row. */
export function toDeadLetter(row: DeadLetterRow): DeadLetter {
  const what = `dead letter ${row.id}`;
  const reason = row.reason;
  if (!isDeadReason(reason)) throw new StoreReadError(`${what} reason`);
  return {
    id: row.id,
    seq: row.seq,
    sourceId: row.source_id,
    messageId: row.message_id,
    destinationId: row.destination_id,
    laneKey: row.lane_key,
    event: parseEvent(row.event_json, `${what} event`),
    receivedAt: row.received_at,
    reason,
    ...(row.status === null ? {} : { status: row.status }),
    ...(row.code === null ? {} : { code: row.code }),
    ...(row.message === null ? {} : { message: row.message }),
    ...(row.plan_json === null ? {} : { plan: parsePlan(row.plan_json, `${what} plan`) }),
    attempts: parseHistory(row.history_json, `${what} history`),
    diedAtMs: row.died_at_ms,
  };
}

/** A pause from its row. */
export function toPause(row: PauseRow): DestinationPause {
  return {
    destinationId: row.destination_id,
    reason: row.reason,
    ...(row.until_ms === null ? {} : { untilMs: row.until_ms }),
    sinceMs: row.since_ms,
  };
}

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error: unknown) {
    throw new StoreReadError(what, { cause: error });
  }
}

// The store only ever holds JSON it wrote itself from typed values, so a shape check is enough here.
function parseEvent(text: string, what: string): SegmentEvent {
  const value = parse(text, what);
  if (!isJsonObject(value) || typeof value['type'] !== 'string' || typeof value['messageId'] !== 'string') {
    throw new StoreReadError(what);
  }
  return value as unknown as SegmentEvent;
}

function parseErasure(text: string, what: string): ErasureTask {
  const value = parse(text, what);
  const key = isJsonObject(value) ? value['key'] : undefined;
  if (
    !isJsonObject(value) ||
    typeof value['deletionId'] !== 'string' ||
    typeof value['position'] !== 'number' ||
    !isJsonObject(key) ||
    (key['kind'] !== 'user_id' && key['kind'] !== 'email') ||
    typeof key['value'] !== 'string'
  ) {
    throw new StoreReadError(what);
  }
  return value as unknown as ErasureTask;
}

function parsePlan(text: string, what: string): Plan {
  const value = parse(text, what);
  if (!isJsonObject(value) || (value['kind'] !== 'deliver' && value['kind'] !== 'skip'))
    throw new StoreReadError(what);
  return value as unknown as Plan;
}

function parseHistory(text: string, what: string): readonly AttemptRecord[] {
  const value = parse(text, what);
  if (!Array.isArray(value)) throw new StoreReadError(what);
  return value as readonly AttemptRecord[];
}
