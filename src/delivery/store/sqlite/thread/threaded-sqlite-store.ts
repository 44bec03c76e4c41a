import type { Worker } from 'node:worker_threads';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../../intercom/id-cache.js';
import type { SegmentEvent } from '../../../../segment/event.js';
import type { EnqueueResult, IncomingEvent } from '../../enqueue.js';
import type {
  AttemptRecord,
  ClaimedJob,
  ClaimRequest,
  Death,
  DeadLetter,
  DeadLetterQuery,
  DeadLetterSelector,
  DeliveryCount,
  DestinationPause,
  EventNameCount,
  JobStore,
  QueueDepth,
} from '../../job-store.js';
import { claimAcceptedFollowers } from '../../follower-claim.js';
import { siblingModule, startModuleThread } from './module-thread.js';
import { toQueuedRow } from '../../queued-row.js';
import type { SqliteStoreOptions } from '../sqlite-store.js';
import {
  type CheckpointThreadData,
  type StoreMethod,
  type StoreReply,
  type StoreRequest,
  type StoreThreadApi,
  type StoreThreadData,
  StoreThreadError,
} from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Opens the SQLite job store on its own thread (see `sqlite-store-thread.ts`) and resolves once it
 * is open and migrated; rejects with the thread's error (a schema too new, a file that cannot be
 * opened) otherwise.
 */
export async function openThreadedSqliteStore(options: SqliteStoreOptions): Promise<ThreadedSqliteStore> {
  const onDisk = options.path !== ':memory:';
  const data: StoreThreadData = { path: options.path, checkpoints: onDisk ? 'external' : 'auto' };
  const worker = await startModuleThread(siblingModule(import.meta.url, 'store-thread'), data, {
    // The thread holds little JavaScript (rows in transit, query results): a small young generation
    // keeps its share of the process's memory small; the old generation is capped well above need.
    maxYoungGenerationSizeMb: 4,
    maxOldGenerationSizeMb: 256,
  });
  const store = new ThreadedSqliteStore(worker);
  await store.opened;
  if (onDisk) {
    const checkpointData: CheckpointThreadData = { path: options.path, intervalMs: 50 };
    store.attachCheckpointer(
      await startModuleThread(siblingModule(import.meta.url, 'checkpoint-thread'), checkpointData, {
        maxYoungGenerationSizeMb: 1,
        maxOldGenerationSizeMb: 16,
      }),
    );
  }
  return store;
}

/**
 * The SQLite job store and id cache, served by a worker thread: every method is a message to it.
 * Accepted events are serialised here (`toQueuedRow`), so the thread only runs the statements.
 */
export class ThreadedSqliteStore implements JobStore, IdCache {
  /** Settles once the thread has opened (and migrated) the database. */
  readonly opened: Promise<void>;
  /**
   * Resolves if the thread stops without `close()` (it crashed): every call fails from then on, so
   * the process should stop rather than answer 503 forever. Never settles otherwise.
   */
  readonly lost: Promise<StoreThreadError>;
  #onLost: (error: StoreThreadError) => void = () => undefined;
  #closing = false;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stopped: StoreThreadError | undefined;
  #checkpointer: Worker | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    this.opened = new Promise<void>((resolve, reject) =>
      this.#pending.set(0, { resolve: () => resolve(), reject }),
    );
    this.lost = new Promise((resolve) => (this.#onLost = resolve));
    worker.on('message', (reply: StoreReply) => this.#settle(reply));
    worker.on('error', (error) => this.#stop(`the store thread failed: ${error.message}`));
    worker.on('exit', (code) => this.#stop(`the store thread exited (code ${code})`));
  }

  /**
   * The thread that checkpoints the WAL beside the writer. Should it fail, the writer's backstop
   * (`BACKSTOP_CHECKPOINT_PAGES`) still bounds the WAL: slower commits, nothing lost.
   */
  attachCheckpointer(checkpointer: Worker): void {
    this.#checkpointer = checkpointer;
    const gone = (): void => {
      if (this.#checkpointer === checkpointer) this.#checkpointer = undefined;
    };
    checkpointer.on('error', gone);
    checkpointer.on('exit', gone);
  }

  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    return this.#call('enqueueRows', events.map(toQueuedRow));
  }

  claimFollowers(
    head: ClaimedJob,
    limit: number,
    accepts: (event: SegmentEvent) => boolean,
    nowMs: number,
  ): Promise<readonly ClaimedJob[]> {
    // The predicate is a function, which cannot cross to the store thread: it runs here, between the halves.
    return claimAcceptedFollowers(
      {
        followerCandidates: (h, n) => this.#call('followerCandidates', h, n),
        leaseFollowers: (h, seqs, now) => this.#call('leaseFollowers', h, seqs, now),
      },
      head,
      limit,
      accepts,
      nowMs,
    );
  }

  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]> {
    return this.#call('claim', request);
  }
  renewLeases(workerId: string, seqs: readonly number[], untilMs: number): Promise<number> {
    return this.#call('renewLeases', workerId, seqs, untilMs);
  }
  complete(job: ClaimedJob, record: AttemptRecord): Promise<void> {
    return this.#call('complete', job, record);
  }
  reschedule(
    job: ClaimedJob,
    runAtMs: number,
    record: AttemptRecord,
    options: { readonly countsAsAttempt: boolean },
  ): Promise<boolean> {
    return this.#call('reschedule', job, runAtMs, record, options);
  }
  park(job: ClaimedJob, runAtMs: number, record: AttemptRecord): Promise<boolean> {
    return this.#call('park', job, runAtMs, record);
  }
  kill(job: ClaimedJob, death: Death, record: AttemptRecord, nowMs: number): Promise<boolean> {
    return this.#call('kill', job, death, record, nowMs);
  }
  release(job: ClaimedJob): Promise<boolean> {
    return this.#call('release', job);
  }
  releaseWorker(workerId: string): Promise<number> {
    return this.#call('releaseWorker', workerId);
  }
  /** Gives back every lease (at start-up: this process owns the data directory, so leases are a predecessor's). */
  releaseAllLeases(): Promise<number> {
    return this.#call('releaseAllLeases');
  }
  listDeadLetters(query: DeadLetterQuery): Promise<readonly DeadLetter[]> {
    return this.#call('listDeadLetters', query);
  }
  redriveDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#call('redriveDeadLetters', selector);
  }
  purgeDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#call('purgeDeadLetters', selector);
  }
  pauseDestination(
    destinationId: string,
    untilMs: number | undefined,
    reason: string,
    nowMs: number,
  ): Promise<void> {
    return this.#call('pauseDestination', destinationId, untilMs, reason, nowMs);
  }
  resumeDestination(destinationId: string): Promise<void> {
    return this.#call('resumeDestination', destinationId);
  }
  pausedDestinations(nowMs: number): Promise<readonly DestinationPause[]> {
    return this.#call('pausedDestinations', nowMs);
  }
  queueDepth(nowMs: number): Promise<readonly QueueDepth[]> {
    return this.#call('queueDepth', nowMs);
  }
  noteEventNames(
    destinationId: string,
    names: readonly string[],
    nowMs: number,
  ): Promise<{ readonly count: number; readonly added: readonly string[] }> {
    return this.#call('noteEventNames', destinationId, names, nowMs);
  }
  eventNameCounts(): Promise<readonly EventNameCount[]> {
    return this.#call('eventNameCounts');
  }
  deliveryCounts(): Promise<readonly DeliveryCount[]> {
    return this.#call('deliveryCounts');
  }
  pruneReceipts(beforeMs: number): Promise<number> {
    return this.#call('pruneReceipts', beforeMs);
  }

  getContactId(key: ContactKey): Promise<string | undefined> {
    return this.#call('getContactId', key);
  }
  setContactId(key: ContactKey, contactId: string): Promise<void> {
    return this.#call('setContactId', key, contactId);
  }
  deleteContactId(key: ContactKey): Promise<void> {
    return this.#call('deleteContactId', key);
  }
  getCompanyId(key: CompanyKey): Promise<string | undefined> {
    return this.#call('getCompanyId', key);
  }
  setCompanyId(key: CompanyKey, intercomCompanyId: string): Promise<void> {
    return this.#call('setCompanyId', key, intercomCompanyId);
  }
  deleteCompanyId(key: CompanyKey): Promise<void> {
    return this.#call('deleteCompanyId', key);
  }
  getCompanyFieldsHash(key: CompanyKey): Promise<string | undefined> {
    return this.#call('getCompanyFieldsHash', key);
  }
  setCompanyFieldsHash(key: CompanyKey, hash: string): Promise<void> {
    return this.#call('setCompanyFieldsHash', key, hash);
  }
  hasAttachment(key: AttachmentKey): Promise<boolean> {
    return this.#call('hasAttachment', key);
  }
  setAttachment(key: AttachmentKey): Promise<void> {
    return this.#call('setAttachment', key);
  }
  deleteAttachment(key: AttachmentKey): Promise<void> {
    return this.#call('deleteAttachment', key);
  }

  /** Closes the database on its thread, then ends the thread. */
  async close(): Promise<void> {
    this.#closing = true;
    const checkpointer = this.#checkpointer;
    this.#checkpointer = undefined;
    if (checkpointer !== undefined) {
      const stopped = new Promise((resolve) => checkpointer.once('exit', resolve));
      checkpointer.postMessage('stop');
      await stopped;
    }
    if (this.#stopped !== undefined) return;
    await this.#send('close', []);
    await this.#worker.terminate();
  }

  #call<M extends StoreMethod>(
    method: M,
    ...args: Parameters<StoreThreadApi[M]>
  ): Promise<Awaited<ReturnType<StoreThreadApi[M]>>> {
    return this.#send(method, args) as Promise<Awaited<ReturnType<StoreThreadApi[M]>>>;
  }

  #send(method: StoreRequest['method'], args: readonly unknown[]): Promise<unknown> {
    if (this.#stopped !== undefined) return Promise.reject(this.#stopped);
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, args } satisfies StoreRequest);
    });
  }

  #settle(reply: StoreReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new StoreThreadError(reply.error));
  }

  /** Every call waiting for the thread, and every later one, fails: nothing is acknowledged unstored (I-5). */
  #stop(message: string): void {
    if (this.#stopped !== undefined) return;
    const stopped = new StoreThreadError({ name: 'store_thread_stopped', message });
    this.#stopped = stopped;
    for (const pending of this.#pending.values()) pending.reject(stopped);
    this.#pending.clear();
    if (!this.#closing) this.#onLost(stopped);
  }
}
