import { IntercomHttpError } from './errors.js';
import type { DeliverPlan } from './operations.js';
import { createExecutor } from './executor.js';
import type { IdCache } from './id-cache.js';
import { contactKey, createMemoryIdCache } from './id-cache.js';
import type { IntercomApi, IntercomResponse } from './api-calls.js';
import type { Operation } from './operations.js';
import type { RateLimitInfo } from './outcome.js';

/** A method of the Intercom API the executor calls. */
export type Method = keyof IntercomApi;

/** One scripted answer: a value (with optional rate-limit headers) or an error to reject with. */
export type Answer = { readonly value: unknown; readonly rateLimit?: RateLimitInfo } | Error;

/**
 * A scripted Intercom: each method answers from its own queue, in order, and records its arguments.
 * A call with nothing scripted fails the test, so every test states the exact calls it expects.
 */
export function scriptedApi(script: Partial<Record<Method, Answer[]>>): {
  api: IntercomApi;
  log: [Method, ...unknown[]][];
} {
  const log: [Method, ...unknown[]][] = [];
  const answer =
    (method: Method) =>
    (...args: unknown[]): Promise<IntercomResponse<never>> => {
      log.push([method, ...args]);
      const next = script[method]?.shift();
      if (next === undefined) return Promise.reject(new TypeError(`unscripted call ${method}`));
      if (next instanceof Error) return Promise.reject(next);
      return Promise.resolve({ status: 200, ...next } as IntercomResponse<never>);
    };
  const methods: Method[] = [
    'getMe',
    'findContactByExternalId',
    'searchContactsByEmail',
    'createContact',
    'updateContact',
    'getContact',
    'deleteContact',
    'mergeContacts',
    'unarchiveContact',
    'upsertCompany',
    'findCompanyByCompanyId',
    'attachContactToCompany',
    'detachContactFromCompany',
    'submitEvent',
    'listDataAttributes',
    'createDataAttribute',
  ];
  const api = Object.fromEntries(methods.map((m) => [m, answer(m)])) as unknown as IntercomApi;
  return { api, log };
}

/** An Intercom error answer as the client throws it; `link` gives a 410's canonical contact. */
export function httpError(
  status: number,
  code: string,
  message: string,
  extra: { link?: string; reset?: number } = {},
): IntercomHttpError {
  return new IntercomHttpError(
    {
      status,
      errors: [{ code, message }],
      ...(extra.link === undefined ? {} : { link: { path: `/contacts/${extra.link}`, id: extra.link } }),
      ...(extra.reset === undefined
        ? {}
        : { rateLimit: { limit: 167, remaining: 0, resetAtSeconds: extra.reset } }),
    },
    { method: 'X', route: '/x' },
  );
}

/** A successful scripted answer. */
export const ok = (value: unknown, rateLimit?: RateLimitInfo): Answer =>
  rateLimit === undefined ? { value } : { value, rateLimit };
/** The destination the test executor delivers to. */
export const DEST = 'dest-1';

/** The identity of the test user `u1`. */
export const identity = { externalId: 'u1', email: 'ann@example.com' };
/** An Intercom contact of the test user. */
export const contact = (id: string, externalId?: string) => ({
  id,
  role: 'user',
  email: 'ann@example.com',
  ...(externalId === undefined ? {} : { external_id: externalId }),
});

/** A deliver plan of these operations, without warnings. */
export function plan(...operations: Operation[]): DeliverPlan {
  return { kind: 'deliver', operations, warnings: [] };
}

/** The test user's upsert, with extra fields and attribute types. */
export const identify = (fields: Record<string, unknown> = {}, attributeTypes = {}): Operation => ({
  kind: 'upsert_contact',
  identity,
  fields: { external_id: 'u1', email: 'ann@example.com', name: 'Ann', ...fields },
  attributeTypes,
});

/** An executor over a scripted Intercom, with the call log and the id cache it uses. */
export function setup(
  script: Partial<Record<Method, Answer[]>>,
  createMissingAttributes = true,
  cache?: IdCache,
) {
  const idCache = cache ?? createMemoryIdCache();
  const { api, log } = scriptedApi(script);
  const executor = createExecutor({ client: api, idCache, destinationId: DEST, createMissingAttributes });
  return { executor, log, idCache };
}

/** An id cache that already knows the test user's contact id. */
export async function cachedCache(id = 'c1'): Promise<IdCache> {
  const cache = createMemoryIdCache();
  await cache.setContactId(contactKey(DEST, 'external_id', 'u1'), id);
  return cache;
}
