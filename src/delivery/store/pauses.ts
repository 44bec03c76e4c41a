/**
 * The reason of a pause an operator set (the console's "Pause"): only an operator lifts it, so the
 * probe that resumes a destination whose token works again leaves it alone.
 */
export const OPERATOR_PAUSE_REASON = 'paused_by_operator';

/** A destination that receives no calls, because of a 429 (timed) or a rejected token (until resumed). */
export interface DestinationPause {
  readonly destinationId: string;
  readonly reason: string;
  /** Absent: paused until `resumeDestination` (a successful probe). */
  readonly untilMs?: number;
  readonly sinceMs: number;
}

/**
 * Destinations whose jobs are not claimed for a while. Pauses are rows every claim reads, which is how
 * the workers of every process share a workspace's 429 or rejected token.
 */
export interface DestinationPauses {
  /**
   * Stops claims for a destination until `untilMs`, or until resumed when absent. A timed pause never
   * shortens another timed pause nor lifts an open-ended one.
   */
  pauseDestination(
    destinationId: string,
    untilMs: number | undefined,
    reason: string,
    nowMs: number,
  ): Promise<void>;
  /** Lifts a destination's pause (a successful probe of its token). */
  resumeDestination(destinationId: string): Promise<void>;
  /** Pauses in force at `nowMs`. */
  pausedDestinations(nowMs: number): Promise<readonly DestinationPause[]>;
}
