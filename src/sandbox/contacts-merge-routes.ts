import type { FastifyInstance } from 'fastify';
import { bodyObject } from './body-fields.js';
import { mergeLeadIntoUser } from './contact-merge.js';
import { toContactObject } from './intercom-objects.js';
import { sendResult } from './reply-result.js';
import type { Store } from './store.js';

/** Registers `POST /contacts/merge`: a lead merged into a user (C-IDN-5), answering the user. */
export function registerContactsMergeRoutes(api: FastifyInstance, store: Store): void {
  api.post('/contacts/merge', (request, reply) => {
    sendResult(request, reply, mergeLeadIntoUser(store, bodyObject(request.body)), (contact) =>
      toContactObject(store, contact),
    );
  });
}
