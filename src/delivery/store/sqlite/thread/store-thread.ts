/**
 * The store thread: owns the SQLite connection so that its synchronous statements and commit fsyncs
 * (5–60 ms each on a slow disk) never stop the main thread's event loop, which keeps reading and
 * parsing requests meanwhile. Requests are served one at a time, in arrival order, so the store's
 * semantics are those of the in-process store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore, type SqliteJobStore } from '../sqlite-store.js';
import {
  isServedMethod,
  type StoreReply,
  type StoreRequest,
  type StoreThreadData,
  toWireError,
} from './protocol.js';

const port = parentPort;
if (port === null) throw new TypeError('store-thread must run as a worker thread');

let store: SqliteJobStore | undefined;
try {
  const { path, checkpoints } = workerData as StoreThreadData;
  store = openSqliteStore({ path, checkpoints });
  port.postMessage({ id: 0, ok: true, value: null } satisfies StoreReply);
} catch (error: unknown) {
  port.postMessage({ id: 0, ok: false, error: toWireError(error) } satisfies StoreReply);
  port.close();
}

port.on('message', (request: StoreRequest) => {
  void serve(request).then((reply) => {
    port.postMessage(reply);
    if (request.target === 'close' && reply.ok) port.close();
  });
});

async function serve(request: StoreRequest): Promise<StoreReply> {
  const { id } = request;
  try {
    if (store === undefined) throw new TypeError('the store is not open');
    if (request.target === 'close') {
      await store.close();
      store = undefined;
      return { id, ok: true, value: null };
    }
    const { target, method, args } = request;
    if (!isServedMethod(target, method)) throw new TypeError(`unknown store method ${String(method)}`);
    const object: object = target === 'store' ? store : store.idCache;
    const call = Reflect.get(object, method) as (...callArgs: readonly unknown[]) => Promise<unknown>;
    return { id, ok: true, value: await Reflect.apply(call, object, args) };
  } catch (error: unknown) {
    return { id, ok: false, error: toWireError(error) };
  }
}
