import type { DeliveryTarget } from '../delivery/worker/delivery-target.js';
import { type FetchFunction, IntercomClient } from '../intercom/client.js';
import { createContactEraser } from '../intercom/contact-eraser.js';
import { createExecutor } from '../intercom/executor.js';
import type { IdCache } from '../intercom/id-cache.js';
import { mapEvent } from '../mapping/map-event.js';
import type { DestinationConfig } from './destinations-file.js';

/** What every destination's target shares: the id cache, where the API is, how calls are made. */
export interface TargetWiring {
  /** The durable id cache (C-IDN-3): a restart does not cost a lookup per user. */
  readonly idCache: IdCache;
  /** The in-process sandbox's URL, for destinations without an API URL of their own. */
  readonly sandboxUrl?: string;
  /** One destination's `fetch` (wrapped for the call metrics). */
  readonly fetchFor: (destinationId: string) => FetchFunction;
  /** The OAuth token of a destination connected from the console, read before every call. */
  readonly oauthTokenFor?: (destinationId: string) => string | undefined;
}

/** Builds the worker's view of one destination: mapping with its settings, executor, eraser, token probe. */
export function createTarget(destination: DestinationConfig, wiring: TargetWiring): DeliveryTarget {
  const apiBaseUrl = destination.apiBaseUrl ?? wiring.sandboxUrl;
  const { oauthTokenFor } = wiring;
  const client = new IntercomClient({
    fetch: wiring.fetchFor(destination.id),
    // An OAuth destination's token can be connected, replaced or removed while serve runs.
    accessToken:
      destination.tokenSource === 'oauth' && oauthTokenFor !== undefined
        ? () => oauthTokenFor(destination.id) ?? ''
        : destination.accessToken,
    region: destination.region,
    ...(apiBaseUrl !== undefined ? { apiBaseUrl } : {}),
    apiVersion: destination.apiVersion,
  });
  const executor = createExecutor({
    client,
    idCache: wiring.idCache,
    destinationId: destination.id,
    createMissingAttributes: destination.mapping.createMissingAttributes,
  });
  const eraser = createContactEraser({ client, idCache: wiring.idCache, destinationId: destination.id });
  return {
    map: (event) => mapEvent(event, destination.mapping),
    execute: (plan) => executor.execute(plan),
    erase: (identity) => eraser.erase(identity),
    coalesce: destination.bulkApiEnabled,
    retryHorizonMs: destination.retryHorizonHours * 60 * 60_000,
    probe: async () => {
      // Without a token (OAuth not connected, or disconnected) delivery waits for one.
      if (!client.hasToken()) return false;
      try {
        await client.getMe();
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** Every configured destination's target, by id. */
export function createTargets(
  destinations: readonly DestinationConfig[],
  wiring: TargetWiring,
): ReadonlyMap<string, DeliveryTarget> {
  return new Map(destinations.map((d) => [d.id, createTarget(d, wiring)]));
}
