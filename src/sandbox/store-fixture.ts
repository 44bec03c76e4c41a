import { type ManualClock, createManualClock } from '../clock/manual-clock.js';
import type { AttributeModel } from '../intercom/operations.js';
import type { Result } from './api-result.js';
import { createDataAttribute } from './data-attribute-store.js';
import { type Store, type StoreSettings, createStore } from './store.js';

/** A store with test defaults, optional custom attributes already created, and its clock. */
export function createTestStore(
  settings: Partial<StoreSettings> = {},
  attributes: readonly (readonly [AttributeModel, string, string])[] = [],
): { readonly store: Store; readonly clock: ManualClock } {
  const clock = createManualClock();
  const store = createStore({
    appId: 'test-app',
    clock,
    searchLagMs: 0,
    eventNameLimit: 120,
    metadataKeyLimit: 10,
    ...settings,
  });
  for (const [model, name, dataType] of attributes)
    createDataAttribute(store, { model, name, data_type: dataType });
  return { store, clock };
}

/** The value of a successful result; throws with Intercom's error code and message otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new TypeError(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
