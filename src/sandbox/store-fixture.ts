import type { AttributeModel } from '../intercom/operations.js';
import { createDataAttribute } from './data-attribute-store.js';
import { type Store, type StoreSettings, createStore } from './store.js';

/** A manual clock for tests: starts at a fixed time and moves only when told. */
export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/** Creates a manual clock starting at `startMs` (default 2023-11-14T22:13:20Z). */
export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** A store with test defaults, optional custom attributes already created, and its clock. */
export function createTestStore(
  settings: Partial<StoreSettings> = {},
  attributes: readonly (readonly [AttributeModel, string, string])[] = [],
): { readonly store: Store; readonly clock: ManualClock } {
  const clock = createManualClock();
  const store = createStore({
    appId: 'test-app',
    clock: clock.now,
    searchLagMs: 0,
    eventNameLimit: 120,
    metadataKeyLimit: 10,
    ...settings,
  });
  for (const [model, name, dataType] of attributes)
    createDataAttribute(store, { model, name, data_type: dataType });
  return { store, clock };
}
