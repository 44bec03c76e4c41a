import type { FastifyInstance } from 'fastify';
import { bodyObject } from './body-fields.js';
import { createDataAttribute, listDataAttributes } from './data-attribute-store.js';
import { toDataAttributeObject } from './intercom-objects.js';
import { sendResult } from './reply-result.js';
import type { Store } from './store.js';

/** Registers `GET /data_attributes?model=` and `POST /data_attributes`. */
export function registerDataAttributesRoutes(api: FastifyInstance, store: Store): void {
  api.get<{ Querystring: { model?: string } }>('/data_attributes', (request, reply) => {
    sendResult(request, reply, listDataAttributes(store, request.query.model), (list) => ({
      type: 'list',
      data: list.map(toDataAttributeObject),
    }));
  });

  api.post('/data_attributes', (request, reply) => {
    sendResult(request, reply, createDataAttribute(store, bodyObject(request.body)), toDataAttributeObject);
  });
}
