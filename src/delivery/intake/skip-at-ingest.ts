import type { EnqueueResult, Enqueuer, IncomingEvent } from '../store/enqueue.js';
import type { SkipReason } from '../../intercom/operations.js';
import { mapEvent } from '../../mapping/map-event.js';
import type { MappingSettings } from '../../mapping/settings.js';

/** Counts the events of one acknowledged request that were skipped at ingestion, per destination and reason. */
export type SkippedAtIngest = (destinationId: string, reason: SkipReason, count: number) => void;

/** What `skipAtIngest` needs: the store to pass deliverable events on to, the settings, a counter. */
export interface SkipAtIngestOptions {
  /** Where events that may cost an Intercom call go (usually the group commit in front of the store). */
  readonly store: Enqueuer;
  /** The mapping settings of a destination; `undefined` passes its events on to the store unmapped. */
  readonly settings: (destinationId: string) => MappingSettings | undefined;
  /** Called once per acknowledged request for each (destination, reason) with events skipped. */
  readonly onSkipped: SkippedAtIngest;
}

/**
 * An `Enqueuer` that never queues an event whose plan is a skip (C-PG-1 page, screen and alias;
 * C-IDN-1 no identity): mapping is pure and depends only on the event and its destination's settings,
 * so the worker would map it the same way later and finish it without a call. Skipped events are
 * acknowledged and counted by reason, not stored: they count neither as `stored` nor as `duplicates`
 * (so received = stored + duplicates + skipped + rejected), and a client's retry of one is skipped
 * and counted again rather than recognised as a duplicate, which is harmless since it causes nothing.
 * Counting happens only once the store accepted the rest of the request, so a failed request that the
 * client retries is not counted twice.
 */
export function skipAtIngest(options: SkipAtIngestOptions): Enqueuer {
  const { store, settings, onSkipped } = options;
  // Not async: the request's events are handed on (and serialised by the group commit) at once, and
  // only the skip counts wait for the commit, not the events themselves.
  return {
    enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
      const deliverable: IncomingEvent[] = [];
      const skipped = new Map<string, Map<SkipReason, number>>();
      for (const incoming of events) {
        const reason = skipReasonOf(incoming, settings(incoming.destinationId));
        if (reason === undefined) {
          deliverable.push(incoming);
          continue;
        }
        const byReason = skipped.get(incoming.destinationId) ?? new Map<SkipReason, number>();
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
        skipped.set(incoming.destinationId, byReason);
      }
      const stored = deliverable.length === 0 ? undefined : store.enqueue(deliverable);
      return countOnceStored(stored, skipped, onSkipped);
    },
  };
}

async function countOnceStored(
  stored: Promise<EnqueueResult> | undefined,
  skipped: ReadonlyMap<string, ReadonlyMap<SkipReason, number>>,
  onSkipped: SkippedAtIngest,
): Promise<EnqueueResult> {
  const result = stored === undefined ? { stored: 0, duplicates: 0 } : await stored;
  for (const [destinationId, byReason] of skipped) {
    for (const [reason, count] of byReason) onSkipped(destinationId, reason, count);
  }
  return result;
}

/** The skip reason of an event's plan, or `undefined` when it must be queued. */
function skipReasonOf(
  incoming: IncomingEvent,
  settings: MappingSettings | undefined,
): SkipReason | undefined {
  if (settings === undefined) return undefined;
  try {
    const plan = mapEvent(incoming.event, settings);
    return plan.kind === 'skip' ? plan.reason : undefined;
  } catch {
    // Mapping never throws on data; should it, the worker records the failure (dead letter) as it would.
    return undefined;
  }
}
