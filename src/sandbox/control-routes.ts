import type { FastifyInstance } from 'fastify';
import { errorBody } from './api-result.js';
import { bodyObject, stringField } from './body-fields.js';
import { mergeContacts } from './contact-store.js';
import { type FaultSwitch, checkFaults } from './faults.js';
import type { Store } from './store.js';

/** What the control routes need from the sandbox. */
export interface ControlDeps {
  readonly store: Store;
  readonly faults: FaultSwitch;
  readonly reset: () => void;
}

/**
 * Registers the routes that change the sandbox: `/sandbox/reset`, `/sandbox/faults` and `/sandbox/merge`.
 * They need no token: the sandbox is a local tool.
 */
export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  app.post('/sandbox/reset', (_request, reply) => {
    deps.reset();
    void reply.send({ reset: true });
  });

  app.get('/sandbox/faults', (_request, reply) => {
    void reply.send(deps.faults.current());
  });

  app.post('/sandbox/faults', (request, reply) => {
    const input = bodyObject(request.body);
    const problems = checkFaults(input);
    if (problems.length > 0) {
      void reply.code(400).send({ error: 'invalid_faults', problems });
      return;
    }
    deps.faults.set(input);
    void reply.send(deps.faults.current());
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
}
