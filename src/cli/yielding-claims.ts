import { setImmediate as nextTurn } from 'node:timers/promises';
import type { JobStore } from '../delivery/store/job-store.js';

/**
 * Wraps a job store so that each `claim` first lets the event loop handle pending I/O. The embedded
 * SQLite store answers synchronously, so a worker draining jobs that need no HTTP call (page and
 * screen events are skipped) would otherwise chain claims in microtasks and starve ingestion: every
 * request would wait until the queue ran dry. One turn of the loop per claim round bounds that wait.
 */
export function yieldBeforeClaims<T extends JobStore>(store: T): T {
  const claim: JobStore['claim'] = async (request) => {
    await nextTurn();
    return store.claim(request);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'claim') return claim;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run against the real store: its private fields are not reachable through the proxy.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
