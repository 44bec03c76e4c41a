import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiGate } from './api-gate.js';
import { registerCompaniesRoutes } from './companies-routes.js';
import { registerContactsMergeRoutes } from './contacts-merge-routes.js';
import { registerContactsRoutes } from './contacts-routes.js';
import { registerDataAttributesRoutes } from './data-attributes-routes.js';
import { registerEventsRoutes } from './events-routes.js';
import { registerMeRoutes } from './me-routes.js';
import type { RequestValidator } from './openapi-validator.js';
import { type RequestMeta, recordOf, violationsOf } from './request-record.js';
import type { RequestLog } from './request-log.js';
import type { Store } from './store.js';
import type { Clock } from '../clock/clock.js';

/** What the Intercom API routes need from the sandbox. */
export interface IntercomApiDeps {
  readonly store: Store;
  readonly log: RequestLog;
  readonly validator: RequestValidator;
  readonly gate: ApiGate;
  readonly clock: Clock;
}

/**
 * Registers the Intercom REST routes inside one encapsulated plugin, so auth, rate limiting, faults,
 * validation and the request log apply to them and not to the sandbox's own routes.
 */
export function registerIntercomApi(app: FastifyInstance, deps: IntercomApiDeps): void {
  // Per-request bookkeeping, kept outside the request object so no fastify typing needs augmenting.
  const metas = new WeakMap<FastifyRequest, RequestMeta>();
  void app.register((api, _opts, done) => {
    api.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const meta: RequestMeta = { time: deps.clock.now(), violations: [] };
      metas.set(request, meta);
      void reply.header('x-request-id', request.id);
      return (await deps.gate.admit(request, reply, meta)) ? undefined : reply;
    });
    api.addHook('preHandler', (request, _reply, next) => {
      const meta = metas.get(request);
      if (meta !== undefined) meta.violations = violationsOf(deps.validator, request);
      next();
    });
    api.addHook('onResponse', (request, reply, next) => {
      const meta = metas.get(request);
      if (meta !== undefined && meta.fault !== 'drop')
        deps.log.record(recordOf(request, reply.statusCode, meta));
      next();
    });
    registerMeRoutes(api, deps.store);
    registerContactsRoutes(api, deps.store);
    registerContactsMergeRoutes(api, deps.store);
    registerCompaniesRoutes(api, deps.store);
    registerEventsRoutes(api, deps.store);
    registerDataAttributesRoutes(api, deps.store);
    done();
  });
}
