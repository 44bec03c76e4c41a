import type { FastifyInstance } from 'fastify';
import type { JsonValue } from '../segment/json.js';

/** What `GET /health` answers; `ok: false` turns the status into 503. */
export interface HealthReport {
  readonly ok: boolean;
  readonly [key: string]: JsonValue;
}

/** Produces the current health report (store reachable, destinations paused, …). */
export type HealthCheck = () => HealthReport | Promise<HealthReport>;

/** Registers `GET /health`: 200 with the report when `ok`, else 503 (a failing check is itself a 503). */
export function registerHealthRoute(app: FastifyInstance, check: HealthCheck): void {
  app.get('/health', async (request, reply) => {
    let report: HealthReport;
    try {
      report = await check();
    } catch (error: unknown) {
      request.log.error({ err: error }, 'health check failed');
      report = { ok: false, error: 'health check failed' };
    }
    return reply.code(report.ok ? 200 : 503).send(report);
  });
}
