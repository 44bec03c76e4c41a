import type { Env } from './command.js';
import { readWholeNumber, type WholeNumberSetting } from './env-values.js';

/** How each `serve` process delivers. */
export interface DeliverySettings {
  /** Lanes delivered in parallel by this process (DELIVERY_CONCURRENCY, default 8). */
  readonly concurrency: number;
  /**
   * How long a claimed job stays leased (DELIVERY_LEASE_SECONDS, default 10). The worker renews the
   * leases of running calls every third of it; a stopped process's jobs are claimable again after it.
   */
  readonly leaseSeconds: number;
}

/** Reads DELIVERY_CONCURRENCY and DELIVERY_LEASE_SECONDS; problems go to the shared list. */
export function readDeliverySettings(env: Env, problems: string[]): DeliverySettings {
  return {
    concurrency: readWholeNumber(env, 'DELIVERY_CONCURRENCY', { min: 1, max: 256, fallback: 8 }, problems),
    // Short leases (renewed while a call runs) bring a killed process's jobs back within seconds; an
    // hour is far beyond any call's timeout.
    leaseSeconds: readWholeNumber(
      env,
      'DELIVERY_LEASE_SECONDS',
      { min: 1, max: 3600, fallback: 10 },
      problems,
    ),
  };
}

/** The `retryHorizonHours` setting (L-1): 1 hour to 30 days, default 72. */
export const RETRY_HORIZON_HOURS: WholeNumberSetting = { min: 1, max: 720, fallback: 72 };

/** Reads RETRY_HORIZON_HOURS (or a destination's `settings.retryHorizonHours`); problems go to the list. */
export function readRetryHorizonHours(env: Env, problems: string[]): number {
  return readWholeNumber(env, 'RETRY_HORIZON_HOURS', RETRY_HORIZON_HOURS, problems);
}
