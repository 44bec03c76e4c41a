import type { IdCache } from '../../../../intercom/id-cache.js';
import type { EnqueueResult } from '../../enqueue.js';
import { DeliveryError } from '../../errors.js';
import type { ClaimedJob, JobStore } from '../../job-store.js';
import type { QueuedRow } from '../../queued-row.js';

/**
 * What the store thread serves: the job store and id cache minus what cannot cross threads (the
 * `claimFollowers` predicate is a function; it becomes `followerCandidates` + `leaseFollowers`) and
 * with `enqueue` taking rows serialised by the caller (see `queued-row.ts`).
 */
export type StoreThreadApi = Required<Omit<JobStore, 'enqueue' | 'claimFollowers' | 'close'>> &
  Required<IdCache> & {
    enqueueRows(rows: readonly QueuedRow[]): Promise<EnqueueResult>;
    followerCandidates(head: ClaimedJob, limit: number): Promise<readonly ClaimedJob[]>;
    leaseFollowers(head: ClaimedJob, seqs: readonly number[], nowMs: number): Promise<number>;
    releaseAllLeases(): Promise<number>;
  };

export type StoreMethod = keyof StoreThreadApi;

const METHODS = {
  enqueueRows: true,
  claim: true,
  renewLeases: true,
  followerCandidates: true,
  leaseFollowers: true,
  complete: true,
  reschedule: true,
  park: true,
  kill: true,
  release: true,
  releaseWorker: true,
  releaseAllLeases: true,
  listDeadLetters: true,
  redriveDeadLetters: true,
  purgeDeadLetters: true,
  pauseDestination: true,
  resumeDestination: true,
  pausedDestinations: true,
  queueDepth: true,
  noteEventNames: true,
  eventNameCounts: true,
  deliveryCounts: true,
  pruneReceipts: true,
  getContactId: true,
  setContactId: true,
  deleteContactId: true,
  getCompanyId: true,
  setCompanyId: true,
  deleteCompanyId: true,
  getCompanyFieldsHash: true,
  setCompanyFieldsHash: true,
  hasAttachment: true,
  setAttachment: true,
  deleteAttachment: true,
} satisfies Record<StoreMethod, true>;

export function isStoreMethod(name: unknown): name is StoreMethod {
  return typeof name === 'string' && Object.hasOwn(METHODS, name);
}

/** Main thread → store thread. `close` closes the database; the thread then exits. */
export interface StoreRequest {
  readonly id: number;
  readonly method: StoreMethod | 'close';
  readonly args: readonly unknown[];
}

/** Store thread → main thread: the answer to request `id`; id 0 says whether the store opened. */
export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** What the main thread is given to open the store. */
export interface StoreThreadData {
  readonly path: string;
  readonly checkpoints: 'auto' | 'external';
}

/** What the checkpoint thread is given. */
export interface CheckpointThreadData {
  readonly path: string;
  /** Pause between the end of one checkpoint and the start of the next. */
  readonly intervalMs: number;
}

/** An error as it crosses threads (class identity is lost; name and message are kept). */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly cause?: string;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { cause } = error;
  return {
    name: error.name,
    message: error.message,
    ...(cause instanceof Error ? { cause: `${cause.name}: ${cause.message}` } : {}),
  };
}

/**
 * A store failure that happened on the store thread (`StoreWriteError`, `StoreSchemaError`, …; its
 * name is `originalName`), or the thread itself stopping (`store_thread_stopped`).
 */
export class StoreThreadError extends DeliveryError {
  override readonly name = 'StoreThreadError';
  readonly originalName: string;

  constructor(wire: WireError) {
    super(wire.message, wire.cause === undefined ? undefined : { cause: wire.cause });
    this.originalName = wire.name;
  }
}
