/**
 * The checkpoint thread: copies the WAL's committed pages into the database file (a PASSIVE
 * checkpoint: it never waits for, nor blocks, the writer) on a connection of its own. Left to the
 * writer, every 1,000th page a commit would do this work itself, including an fsync of the database
 * file, and the requests waiting on that commit would wait for it too (measured: a third of the
 * cost of storing an event, and the slowest acknowledgements).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointThreadData } from './protocol.js';

const port = parentPort;
if (port === null) throw new TypeError('checkpoint-thread must run as a worker thread');

const { path, intervalMs } = workerData as CheckpointThreadData;
const db = new Database(path);
db.pragma('busy_timeout = 5000');
let timer: NodeJS.Timeout | undefined;

const checkpoint = (): void => {
  // A failed round (the file briefly locked by a maintenance command) is retried on the next one;
  // the writer's backstop bounds the WAL meanwhile.
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // retried next round
  }
  timer = setTimeout(checkpoint, intervalMs);
};
timer = setTimeout(checkpoint, intervalMs);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  port.postMessage('stopped');
  port.close();
});
