import type { FastifyInstance } from 'fastify';
import { bodyObject } from './body-fields.js';
import { archiveContact, toArchiveAnswer, unarchiveContact } from './contact-archive.js';
import { searchContacts } from './contact-search.js';
import {
  createContact,
  deleteContact,
  findContactByExternalId,
  getContact,
  updateContact,
} from './contact-store.js';
import { toContactObject, toList } from './intercom-objects.js';
import { sendResult } from './reply-result.js';
import type { SandboxContact, Store } from './store.js';

/** Registers the contact endpoints: create, update, get, delete, find by external id, search, archive, unarchive. */
export function registerContactsRoutes(api: FastifyInstance, store: Store): void {
  const render = (contact: SandboxContact): unknown => toContactObject(store, contact);

  api.post('/contacts', (request, reply) => {
    sendResult(request, reply, createContact(store, bodyObject(request.body)), render);
  });

  api.post('/contacts/search', (request, reply) => {
    sendResult(request, reply, searchContacts(store, bodyObject(request.body)), (page) => ({
      ...toList(page.data.map(render), page.pages),
      total_count: page.total_count,
    }));
  });

  api.get<{ Params: { external_id: string } }>(
    '/contacts/find_by_external_id/:external_id',
    (request, reply) => {
      sendResult(request, reply, findContactByExternalId(store, request.params.external_id), render);
    },
  );

  api.get<{ Params: { id: string } }>('/contacts/:id', (request, reply) => {
    sendResult(request, reply, getContact(store, request.params.id), render);
  });

  api.put<{ Params: { id: string } }>('/contacts/:id', (request, reply) => {
    sendResult(request, reply, updateContact(store, request.params.id, bodyObject(request.body)), render);
  });

  // The answer is Intercom's `contact_deleted`: the contact's reference and `deleted: true`.
  api.delete<{ Params: { id: string } }>('/contacts/:id', (request, reply) => {
    sendResult(request, reply, deleteContact(store, request.params.id), (contact) => ({
      type: 'contact',
      id: contact.id,
      external_id: contact.external_id,
      deleted: true,
    }));
  });

  api.post<{ Params: { id: string } }>('/contacts/:id/archive', (request, reply) => {
    sendResult(request, reply, archiveContact(store, request.params.id), toArchiveAnswer);
  });

  api.post<{ Params: { id: string } }>('/contacts/:id/unarchive', (request, reply) => {
    sendResult(request, reply, unarchiveContact(store, request.params.id), toArchiveAnswer);
  });
}
