import type { LaneRef } from './job.js';

/**
 * L-5: when each user's attributes were last set. Completing a delivered identify records its event
 * time in the same transaction; a replayed identify older than that would roll the contact back, so the
 * worker skips it (`older_than_delivered`).
 */
export interface ContactUpdates {
  /** The event time (Unix ms) of the newest identify delivered in the lane; undefined before any. */
  lastContactUpdateMs(lane: LaneRef): Promise<number | undefined>;
}
