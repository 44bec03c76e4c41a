import type { EventNameTally } from './event-name-tally.js';
import type { LogThrottle } from './log-throttle.js';
import type { DeliveryPolicy } from './policy.js';
import type { DeliveryWorkerOptions, WorkerLogger } from './worker-options.js';

/** What carrying out one claimed job needs of the worker. */
export interface AttemptContext {
  readonly options: DeliveryWorkerOptions;
  readonly policy: DeliveryPolicy;
  readonly logger: WorkerLogger;
  readonly probeIntervalMs: number;
  readonly eventNames: EventNameTally;
  /** L-2: collapses repeats of a lane's failure in the log. */
  readonly failureLog: LogThrottle;
  /** Jobs merged into an in-flight head: their leases are renewed with it. */
  readonly followerSeqs: Set<number>;
  readonly isStopping: () => boolean;
}
