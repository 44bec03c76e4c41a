import type { AttemptRecord, ClaimedDeletionJob, LaneRef } from './job.js';

/** How a person to forget is named: a Segment `userId` (Intercom's external_id) or an email. */
export type ErasureKeyKind = 'user_id' | 'email';

/** One person to forget, as given (the key itself lives only in the queued deletion job). */
export interface ErasureKey {
  readonly kind: ErasureKeyKind;
  readonly value: string;
}

/** What a deletion job carries out: one key of one deletion request. */
export interface ErasureTask {
  readonly deletionId: string;
  /** The key's position in its request. */
  readonly position: number;
  readonly key: ErasureKey;
}

/** A key as the audit keeps it: a salted SHA-256, never the key (see `erasure-hash.ts`). */
export interface HashedKey {
  readonly kind: ErasureKeyKind;
  /** Hex; random per key, so equal keys of two requests do not give equal hashes. */
  readonly salt: string;
  /** Hex SHA-256 of salt, kind and normalised value. */
  readonly hash: string;
}

/** A deletion request (L-4): keys of one destination, each erased by a job in its own lane. */
export interface ErasureRequest {
  readonly deletionId: string;
  readonly destinationId: string;
  /** The keys with their hashes, in the request's order. */
  readonly keys: readonly { readonly key: ErasureKey; readonly hashed: HashedKey }[];
  readonly nowMs: number;
}

/** `pending` until the key's job ran; `done` once the contact is gone; `failed` when Intercom refused for good. */
export type ErasureStatus = 'pending' | 'done' | 'failed';

/** The audit record of one key of a deletion request. */
export interface ErasureRecord {
  readonly deletionId: string;
  readonly position: number;
  readonly destinationId: string;
  readonly key: HashedKey;
  readonly status: ErasureStatus;
  readonly requestedAtMs: number;
  readonly finishedAtMs?: number;
  /** Queued jobs and dead letters of the person deleted, at the request and when the job ran. */
  readonly purgedJobs: number;
  readonly purgedDeadLetters: number;
  /** Intercom contacts deleted (0 when none was found: "not found" counts as done). */
  readonly contactsDeleted: number;
  /** Why the erasure failed (Intercom's status and code; never the key). */
  readonly error?: string;
}

/** How a deletion job ended. */
export type ErasureResult =
  | {
      readonly status: 'done';
      /** The Intercom ids of the contacts deleted, so the id cache forgets every key that names them. */
      readonly contactIds: readonly string[];
    }
  | { readonly status: 'failed'; readonly error: string };

/** Erasures per destination and status, for metrics. */
export interface ErasureCount {
  readonly destinationId: string;
  readonly status: ErasureStatus;
  readonly count: number;
}

/**
 * L-4 in the queue: a deletion is a durable job in the user's lane, so that it runs after anything of
 * that user already being delivered and before anything that arrives later, and survives a crash.
 */
export interface Erasures {
  /**
   * In one durable transaction: the audit rows (`pending`), the user's queued jobs that no worker holds
   * deleted, and one deletion job per key at the tail of its lane. A job in flight finishes first.
   */
  requestErasure(request: ErasureRequest): Promise<void>;
  /** Deletes the jobs queued ahead of a claimed deletion and its lane's dead letters; counted on its audit row. */
  purgeErasedLane(job: ClaimedDeletionJob): Promise<{ readonly jobs: number; readonly deadLetters: number }>;
  /**
   * Ends a deletion job in one transaction: the job removed, its audit row finished and, when done,
   * the id cache's entries of the key and the contacts, and the lane's L-5 update mark forgotten.
   * Resolves to false when the lease was lost.
   */
  finishErasure(job: ClaimedDeletionJob, record: AttemptRecord, result: ErasureResult): Promise<boolean>;
  /** The audit rows of a deletion request, in key order (empty when unknown). */
  erasureRecords(deletionId: string): Promise<readonly ErasureRecord[]>;
  /** Audit rows per destination and status. */
  erasureCounts(): Promise<readonly ErasureCount[]>;
}

/** The lane a key's deletion runs in: the C-RACE-1 ordering key the user's events have. */
export function erasureLane(destinationId: string, key: ErasureKey): LaneRef {
  const laneKey = key.kind === 'user_id' ? `u:${key.value}` : `e:${key.value.trim().toLowerCase()}`;
  return { destinationId, laneKey };
}
