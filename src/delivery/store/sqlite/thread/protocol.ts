import type { IdCache } from '../../../../intercom/id-cache.js';
import { DeliveryError } from '../../errors.js';
import type { SqliteJobStore } from '../sqlite-store.js';

/**
 * What the store thread serves of the store: everything but what cannot cross threads (`claimFollowers`
 * takes a predicate, a function: the caller runs it between `followerCandidates` and `leaseFollowers`),
 * with `enqueue` as `enqueueRows` (rows serialised by the caller, see `queued-row.ts`). The id cache is
 * served beside it.
 */
export type StoreThreadApi = Omit<SqliteJobStore, 'enqueue' | 'claimFollowers' | 'close' | 'idCache'>;

/**
 * The methods the thread serves, and the only ones it accepts: the main thread's forwards are made
 * from this list. `satisfies` keeps it equal to the API: a store method added or removed without
 * listing it here does not compile.
 */
export const STORE_THREAD_METHODS = {
  enqueueRows: true,
  pruneReceipts: true,
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
  pendingBefore: true,
  releaseAllLeases: true,
  listDeadLetters: true,
  deadLetter: true,
  redriveDeadLetters: true,
  purgeDeadLetters: true,
  pauseDestination: true,
  resumeDestination: true,
  pausedDestinations: true,
  queueDepth: true,
  deliveryCounts: true,
  eventNameCounts: true,
  noteEventNames: true,
  requestErasure: true,
  purgeErasedLane: true,
  finishErasure: true,
  erasureRecords: true,
  erasureCounts: true,
  lastContactUpdateMs: true,
  lastFailures: true,
  addFlowCounts: true,
  flowCountsSince: true,
  pruneFlowCounts: true,
  saveToken: true,
  storedTokens: true,
  deleteToken: true,
} as const satisfies Record<keyof StoreThreadApi, true>;

/** The id cache's methods, served the same way. */
export const ID_CACHE_METHODS = {
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
} as const satisfies Record<keyof IdCache, true>;

/** Which object of the thread a call is for. */
export type StoreThreadTarget = 'store' | 'idCache';

const METHODS: Readonly<Record<StoreThreadTarget, Readonly<Record<string, true>>>> = {
  store: STORE_THREAD_METHODS,
  idCache: ID_CACHE_METHODS,
};

/** Whether the thread serves `method` of `target` (anything else is refused, whatever the object has). */
export function isServedMethod(target: StoreThreadTarget, method: string): boolean {
  return Object.hasOwn(METHODS[target], method);
}

/** Main thread → store thread: a call, or `close` (the thread closes the database, then exits). */
export type StoreRequest =
  | {
      readonly id: number;
      readonly target: StoreThreadTarget;
      readonly method: string;
      readonly args: readonly unknown[];
    }
  | { readonly id: number; readonly target: 'close' };

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

/** An error in the form that crosses threads. */
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
