/** What the throttle says about one failure. */
export interface ThrottleVerdict {
  /** Whether to write the line now. */
  readonly log: boolean;
  /** Failures of the lane held back since its last line (reported on the line that is written). */
  readonly held: number;
}

/**
 * L-2: repeats of the same failure on one lane collapse to one line per window, with a count. Pure
 * state over a caller's clock: the lane keys stay in memory here and never reach a log (they may be
 * an email).
 */
export interface LogThrottle {
  /** A failure of `lane` with `signature` (its class, decision, status and code) at `nowMs`. */
  admit(lane: string, signature: string, nowMs: number): ThrottleVerdict;
  /** The lane's job settled (delivered, skipped, dead): forgets it; resolves to the failures still held. */
  settle(lane: string): number;
}

interface LaneEntry {
  readonly signature: string;
  readonly loggedAtMs: number;
  held: number;
}

/**
 * A throttle that writes the first failure of a lane, then the same failure again at most once per
 * `windowMs` (with the count held meanwhile), and a different failure at once. At most `maxLanes` lanes
 * are remembered; past that the oldest is forgotten (its next failure is simply written).
 */
export function createLogThrottle(windowMs = 60_000, maxLanes = 10_000): LogThrottle {
  const lanes = new Map<string, LaneEntry>();
  return {
    admit(lane, signature, nowMs) {
      const entry = lanes.get(lane);
      if (entry !== undefined && entry.signature === signature && nowMs - entry.loggedAtMs < windowMs) {
        entry.held += 1;
        return { log: false, held: entry.held };
      }
      lanes.delete(lane);
      lanes.set(lane, { signature, loggedAtMs: nowMs, held: 0 });
      if (lanes.size > maxLanes) {
        const oldest = lanes.keys().next();
        if (oldest.done !== true) lanes.delete(oldest.value);
      }
      return { log: true, held: entry?.held ?? 0 };
    },
    settle(lane) {
      const held = lanes.get(lane)?.held ?? 0;
      lanes.delete(lane);
      return held;
    },
  };
}
