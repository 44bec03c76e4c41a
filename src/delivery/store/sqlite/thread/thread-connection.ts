import type { Worker } from 'node:worker_threads';
import { type StoreReply, type StoreRequest, StoreThreadError, type StoreThreadTarget } from './protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The main thread's end of the store thread: numbered requests, their answers, and the thread's end. */
export class StoreThreadConnection {
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
   * (`BACKSTOP_CHECKPOINT_BYTES`) still bounds the WAL: slower commits, nothing lost.
   */
  attachCheckpointer(checkpointer: Worker): void {
    this.#checkpointer = checkpointer;
    const gone = (): void => {
      if (this.#checkpointer === checkpointer) this.#checkpointer = undefined;
    };
    checkpointer.on('error', gone);
    checkpointer.on('exit', gone);
  }

  /** Calls `method` of the thread's store or id cache; rejects with a `StoreThreadError` if it failed there. */
  call(target: StoreThreadTarget, method: string, args: readonly unknown[]): Promise<unknown> {
    return this.#send((id) => ({ id, target, method, args }));
  }

  /** Stops the checkpoint thread, closes the database on its thread, then ends the thread. */
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
    await this.#send((id) => ({ id, target: 'close' }));
    await this.#worker.terminate();
  }

  #send(request: (id: number) => StoreRequest): Promise<unknown> {
    if (this.#stopped !== undefined) return Promise.reject(this.#stopped);
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage(request(id));
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
