import type { FastifyInstance } from 'fastify';
import type { HealthReport } from '../delivery/worker/health.js';

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
