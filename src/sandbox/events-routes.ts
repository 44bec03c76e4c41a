import type { FastifyInstance } from 'fastify';
import { bodyObject } from './body-fields.js';
import { submitEvent } from './event-store.js';
import { sendError } from './reply-result.js';
import type { Store } from './store.js';

/** Registers `POST /events`: 202 with an empty body, as Intercom answers (duplicates included). */
export function registerEventsRoutes(api: FastifyInstance, store: Store): void {
  api.post('/events', (request, reply) => {
    const result = submitEvent(store, bodyObject(request.body));
    if (!result.ok) {
      sendError(request, reply, result.error);
      return;
    }
    void reply.code(202).send();
  });
}
