import type { FastifyInstance } from 'fastify';
import { renderInspectPage } from './inspect-page.js';
import { listSpecOverrides } from './openapi-validator.js';
import type { RequestLog } from './request-log.js';
import { type Store, snapshotStore } from './store.js';

/** What the inspection routes need from the sandbox. */
export interface InspectDeps {
  readonly store: Store;
  readonly log: RequestLog;
}

/**
 * Registers the read-only views of the sandbox: the JSON of `/sandbox/state`, `/sandbox/requests`,
 * `/sandbox/violations`, `/sandbox/openapi-overrides`, and the HTML page at `/` and `/sandbox`.
 * These routes need no token: the sandbox is a local tool.
 */
export function registerInspectRoutes(app: FastifyInstance, deps: InspectDeps): void {
  const page = (): string => renderInspectPage(snapshotStore(deps.store), deps.log.list());
  app.get('/', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(page());
  });
  app.get('/sandbox', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(page());
  });
  // Browsers ask for it on every page of the sandbox; it is not an Intercom call to check.
  app.get('/favicon.ico', (_request, reply) => {
    void reply.code(204).send();
  });

  app.get('/sandbox/state', (_request, reply) => {
    void reply.send(snapshotStore(deps.store));
  });

  app.get<{ Querystring: { violations?: string; limit?: string } }>('/sandbox/requests', (request, reply) => {
    const onlyViolations = request.query.violations === 'true' || request.query.violations === '1';
    const all = deps.log.list().filter((r) => !onlyViolations || r.violations.length > 0);
    const limit = Number.parseInt(request.query.limit ?? '', 10);
    void reply.send(Number.isInteger(limit) && limit > 0 ? all.slice(-limit) : all);
  });

  app.get('/sandbox/violations', (_request, reply) => {
    void reply.send(deps.log.violations());
  });

  app.get('/sandbox/openapi-overrides', (_request, reply) => {
    void reply.send(listSpecOverrides());
  });
}
