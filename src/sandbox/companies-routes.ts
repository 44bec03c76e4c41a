import type { FastifyInstance } from 'fastify';
import { bodyObject, stringField } from './body-fields.js';
import {
  attachCompany,
  contactCompanies,
  detachCompany,
  findCompany,
  getCompany,
  upsertCompany,
} from './company-store.js';
import { ok } from './api-result.js';
import { toCompanyObject, toList } from './intercom-objects.js';
import { sendResult } from './reply-result.js';
import type { SandboxCompany, Store } from './store.js';

/** Registers the company endpoints: upsert, find, get, attach, detach, list a contact's companies. */
export function registerCompaniesRoutes(api: FastifyInstance, store: Store): void {
  const render = (company: SandboxCompany): unknown => toCompanyObject(store, company);

  api.post('/companies', (request, reply) => {
    sendResult(request, reply, upsertCompany(store, bodyObject(request.body)), render);
  });

  api.get<{ Querystring: { company_id?: string; name?: string } }>('/companies', (request, reply) => {
    const { company_id: companyId, name } = request.query;
    if (companyId === undefined && name === undefined) {
      sendResult(request, reply, ok([...store.companies.values()]), (all) => toList(all.map(render)));
      return;
    }
    sendResult(
      request,
      reply,
      findCompany(store, companyId === undefined ? { name: name ?? '' } : { companyId }),
      render,
    );
  });

  api.get<{ Params: { id: string } }>('/companies/:id', (request, reply) => {
    sendResult(request, reply, getCompany(store, request.params.id), render);
  });

  api.post<{ Params: { id: string } }>('/contacts/:id/companies', (request, reply) => {
    const companyId = stringField(bodyObject(request.body), 'id');
    sendResult(request, reply, attachCompany(store, request.params.id, companyId), render);
  });

  api.delete<{ Params: { id: string; company_id: string } }>(
    '/contacts/:id/companies/:company_id',
    (request, reply) => {
      sendResult(request, reply, detachCompany(store, request.params.id, request.params.company_id), render);
    },
  );

  api.get<{ Params: { id: string } }>('/contacts/:id/companies', (request, reply) => {
    sendResult(request, reply, contactCompanies(store, request.params.id), (list) =>
      toList(list.map(render)),
    );
  });
}
