/** One count of one series of a destination in one minute (the console's charts). */
export interface FlowCount {
  readonly destinationId: string;
  /** Start of the minute, Unix ms (a multiple of 60 000). */
  readonly minuteMs: number;
  /** What was counted: `received`, `delivered`, `skipped`, `dead`, `calls_2xx`, … */
  readonly series: string;
  readonly count: number;
}

/**
 * Per-minute counts kept in the queue's database, so the console's history survives a restart and, on
 * PostgreSQL, shows every process: adding to a minute adds to what other processes wrote for it.
 */
export interface FlowHistory {
  /** Adds each count to its (destination, minute, series) row, creating the row when absent. */
  addFlowCounts(counts: readonly FlowCount[]): Promise<void>;
  /** Every row of a minute at or after `sinceMs`, oldest first. */
  flowCountsSince(sinceMs: number): Promise<readonly FlowCount[]>;
  /** Deletes rows of minutes before `beforeMs`; resolves to how many. */
  pruneFlowCounts(beforeMs: number): Promise<number>;
}
