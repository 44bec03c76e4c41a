import type { DeadLetter, DeadReason } from '../delivery/store/dead-letters.js';
import type { AttemptRecord } from '../delivery/store/job.js';
import type { SegmentEvent } from '../segment/event.js';
import { deadLetterClass, type FailureClass, failureClass } from './failure-class.js';

/** One failed attempt or dead letter, as the console lists it: no trait values, no token. */
export interface FailureView {
  readonly atMs: number;
  readonly destinationId: string;
  /** `track "Order Completed"`, `identify`, … */
  readonly event: string;
  readonly failureClass?: FailureClass;
  /** What happened next: the decision (`retry`, `parked`, `paused`, …) or `dead`. */
  readonly decision: string;
  readonly reason?: DeadReason;
  readonly deadLetterId?: number;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
}

/** The job of a failed attempt: an event's, or a deletion's (L-4), which has none. */
export interface FailedJob {
  readonly destinationId: string;
  readonly event?: SegmentEvent;
}

/** The failed attempts this process saw last, newest first, bounded. */
export interface RecentFailures {
  /** Takes a settled attempt (the worker's `onSettled`); keeps it when it failed. */
  note(job: FailedJob, record: AttemptRecord): void;
  list(destinationId: string): readonly FailureView[];
}

/** How an event is named in lists: its type, and a track's name. */
export function describeEvent(event: SegmentEvent): string {
  return event.type === 'track' ? `track "${event.event}"` : event.type;
}

/** A failed attempt's view. */
function attemptView(
  destinationId: string,
  event: SegmentEvent | undefined,
  record: AttemptRecord,
): FailureView {
  const failure = record.failure;
  const klass = failureClass(record);
  return {
    atMs: record.atMs,
    destinationId,
    event: event === undefined ? 'deletion' : describeEvent(event),
    ...(klass === undefined ? {} : { failureClass: klass }),
    decision: record.decision,
    ...(failure?.kind === 'http'
      ? {
          status: failure.status,
          ...(failure.code === undefined ? {} : { code: failure.code }),
          ...(failure.message === undefined ? {} : { message: failure.message }),
        }
      : {}),
    ...(failure?.kind === 'timeout' ? { message: `no answer within ${failure.timeoutMs} ms` } : {}),
    ...(failure?.kind === 'network' ? { message: failure.message } : {}),
  };
}

/** A dead letter's view: its reason and Intercom's last answer. */
export function deadLetterView(letter: DeadLetter): FailureView {
  return {
    atMs: letter.diedAtMs,
    destinationId: letter.destinationId,
    event: describeEvent(letter.event),
    failureClass: deadLetterClass(letter),
    decision: 'dead',
    reason: letter.reason,
    deadLetterId: letter.id,
    ...(letter.status === undefined ? {} : { status: letter.status }),
    ...(letter.code === undefined ? {} : { code: letter.code }),
    ...(letter.message === undefined ? {} : { message: letter.message }),
  };
}

/** Creates a ring of the last `size` failed attempts of each destination. */
export function createRecentFailures(size = 50): RecentFailures {
  const rings = new Map<string, FailureView[]>();
  return {
    note(job, record) {
      if (record.failure === undefined && record.decision !== 'dead') return;
      const ring = rings.get(job.destinationId) ?? [];
      ring.unshift(attemptView(job.destinationId, job.event, record));
      if (ring.length > size) ring.length = size;
      rings.set(job.destinationId, ring);
    },
    list: (destinationId) => rings.get(destinationId) ?? [],
  };
}

/** The newest failures of a destination: this process's attempts and the queue's dead letters, merged. */
export function mergeFailures(
  attempts: readonly FailureView[],
  dead: readonly FailureView[],
  limit: number,
): FailureView[] {
  // A dead letter's last attempt is also in the ring: show the dead letter, which names its reason.
  const deadTimes = new Set(dead.map((d) => `${d.atMs}:${d.event}`));
  const rest = attempts.filter((a) => !(a.decision === 'dead' && deadTimes.has(`${a.atMs}:${a.event}`)));
  return [...dead, ...rest].sort((a, b) => b.atMs - a.atMs).slice(0, limit);
}
