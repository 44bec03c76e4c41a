import type { ExecutionOutcome } from '../../intercom/outcome.js';
import type { DeliverPlan, Plan } from '../../intercom/operations.js';
import type { SegmentEvent } from '../../segment/event.js';
import type { ErasureExecution, ErasureIdentity } from '../../intercom/contact-eraser.js';

/** What the worker needs of one configured destination (mapping and executor bound to its settings). */
export interface DeliveryTarget {
  /** Pure mapping (`mapEvent` with this destination's settings). */
  map(event: SegmentEvent): Plan;
  /** Carries out a plan against Intercom; failures are values, never thrown. */
  execute(plan: DeliverPlan): Promise<ExecutionOutcome>;
  /** L-4: deletes a person's contacts (`DELETE /contacts/{id}`); failures are values, never thrown. */
  erase?(identity: ErasureIdentity): Promise<ErasureExecution>;
  /** Whether the credentials work again (e.g. `GET /me`); used to resume after a 401/403 pause. */
  probe?(): Promise<boolean>;
  /** `isBulkAPIEnabled`: adjacent identifies of one user (or groups of one company) go out as one call. */
  readonly coalesce?: boolean;
  /** L-1 `retryHorizonHours` of this destination, in ms; the worker's policy decides when absent. */
  readonly retryHorizonMs?: number;
}

/** Finds a destination by id; undefined when it is not configured (any more). */
export type DeliveryTargets = (destinationId: string) => DeliveryTarget | undefined;
