import { Counter, Gauge, type Registry } from 'prom-client';
import type { FetchFunction } from '../../intercom/client.js';
import { parseRateLimitHeaders } from '../../intercom/rate-limit-headers.js';

/** Wraps the `fetch` of one destination's Intercom client: calls by status, rate-limit budget. */
export type FetchWrapper = (destinationId: string, fetch: FetchFunction) => FetchFunction;

/** Registers the Intercom call metrics and returns the `fetch` wrapper that feeds them. */
export function registerIntercomCallMetrics(registry: Registry): FetchWrapper {
  const registers = [registry];
  const calls = new Counter({
    name: 'intercom_requests_total',
    help: 'HTTP calls to Intercom by answer status (network_error when no answer came).',
    labelNames: ['destination', 'status'] as const,
    registers,
  });
  const remaining = new Gauge({
    name: 'intercom_rate_limit_remaining',
    help: 'X-RateLimit-Remaining of the last Intercom answer that carried it.',
    labelNames: ['destination'] as const,
    registers,
  });
  const limit = new Gauge({
    name: 'intercom_rate_limit_limit',
    help: 'X-RateLimit-Limit of the last Intercom answer that carried it.',
    labelNames: ['destination'] as const,
    registers,
  });
  return (destination, fetch) => async (url, init) => {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error: unknown) {
      calls.inc({ destination, status: 'network_error' });
      throw error;
    }
    calls.inc({ destination, status: String(response.status) });
    const budget = parseRateLimitHeaders(response.headers);
    if (budget !== undefined) {
      remaining.set({ destination }, budget.remaining);
      limit.set({ destination }, budget.limit);
    }
    return response;
  };
}
