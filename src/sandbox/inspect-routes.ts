import type { FastifyInstance } from 'fastify';
import { bodyObject, stringField } from './body-fields.js';
import { mergeContacts } from './contact-store.js';
import { errorBody } from './api-result.js';
import { type Faults, checkFaults } from './faults.js';
import { renderInspectPage } from './inspect-page.js';
import { listSpecOverrides } from './openapi-validator.js';
import type { RequestLog } from './request-log.js';
import { type Store, snapshotStore } from './store.js';

/** What the control routes need from the sandbox. */
export interface InspectDeps {
  readonly store: Store;
  readonly log: RequestLog;
  readonly faults: () => Faults;
  readonly setFaults: (faults: Readonly<Record<string, unknown>>) => void;
  readonly reset: () => void;
}

/**
 * Registers the sandbox's own JSON API under `/sandbox/*` and the HTML page at `/` and `/sandbox`.
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

  app.post('/sandbox/reset', (_request, reply) => {
    deps.reset();
    void reply.send({ reset: true });
  });

  app.get('/sandbox/faults', (_request, reply) => {
    void reply.send(deps.faults());
  });

  app.post('/sandbox/faults', (request, reply) => {
    const input = bodyObject(request.body);
    const problems = checkFaults(input);
    if (problems.length > 0) {
      void reply.code(400).send({ error: 'invalid_faults', problems });
      return;
    }
    deps.setFaults(input);
    void reply.send(deps.faults());
  });

  app.post('/sandbox/merge', (request, reply) => {
    const body = bodyObject(request.body);
    const result = mergeContacts(
      deps.store,
      stringField(body, 'from') ?? '',
      stringField(body, 'into') ?? '',
    );
    if (!result.ok) {
      void reply
        .code(result.error.status)
        .send(errorBody(request.id, result.error.code, result.error.message));
      return;
    }
    void reply.send({ merged: true, into: result.value.id });
  });

  app.get('/sandbox/openapi-overrides', (_request, reply) => {
    void reply.send(listSpecOverrides());
  });
}
