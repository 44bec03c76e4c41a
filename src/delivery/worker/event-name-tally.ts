import type { Operation } from '../../intercom/operations.js';
import type { QueueReports } from '../store/reports.js';

/** C-TR-6: Intercom keeps at most this many active event names per workspace. */
export const EVENT_NAME_LIMIT = 120;
/** C-TR-6: a warning is logged from this many event names. */
export const EVENT_NAME_WARNING_COUNT = 100;

/** Counts the event names delivered to each workspace (C-TR-6). */
export interface EventNameTally {
  /** Records the names of a delivered plan's events; writes to the store only for names not seen before. */
  count(destinationId: string, operations: readonly Operation[], nowMs: number): Promise<void>;
}

/** The logger calls the tally makes. */
export interface EventNameLogger {
  warn(fields: object, message: string): void;
}

/** Creates a tally over the store's durable count. */
export function createEventNameTally(
  store: Pick<QueueReports, 'noteEventNames'>,
  logger: EventNameLogger,
): EventNameTally {
  // Names already recorded, per destination, so a steady stream of tracks costs no store write.
  const known = new Map<string, Set<string>>();
  return {
    async count(destinationId, operations, nowMs) {
      let seen = known.get(destinationId);
      if (seen === undefined) known.set(destinationId, (seen = new Set()));
      const fresh = new Set<string>();
      for (const operation of operations) {
        // Intercom matches event names without regard to case.
        const name = operation.kind === 'submit_event' ? operation.event.event_name.toLowerCase() : undefined;
        if (name !== undefined && !seen.has(name)) fresh.add(name);
      }
      if (fresh.size === 0) return;
      const { count, added } = await store.noteEventNames(destinationId, [...fresh], nowMs);
      for (const name of fresh) seen.add(name);
      if (added.length > 0 && count >= EVENT_NAME_WARNING_COUNT) {
        logger.warn(
          { destinationId, eventNames: count, limit: EVENT_NAME_LIMIT },
          'the workspace is close to Intercom’s limit of active event names; new names past it are dead-lettered',
        );
      }
    },
  };
}
