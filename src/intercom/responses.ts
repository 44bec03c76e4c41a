import type { JsonObject } from '../segment/json.js';
import { isJsonObject } from '../segment/json.js';

/** The fields of an Intercom contact this destination reads. */
export interface Contact {
  readonly id: string;
  readonly external_id?: string;
  readonly email?: string;
  /** `user` or `lead`. */
  readonly role?: string;
}

/** The fields of an Intercom company this destination reads. */
export interface Company {
  /** Intercom's id (used to attach contacts). */
  readonly id: string;
  /** Our id (Segment `groupId`). */
  readonly company_id?: string;
}

/** The fields of an Intercom data attribute this destination reads. */
export interface DataAttribute {
  readonly name: string;
  readonly model: string;
  readonly data_type: string;
}

/** The fields of `GET /me` this destination reads (the token's workspace). */
export interface Me {
  readonly id?: string;
  /** The workspace's App ID (`app.id_code`), compared with the `appId` setting. */
  readonly app?: { readonly id_code: string };
}

/** A non-empty string field, or undefined; Intercom sends `null` for unset strings. */
function text(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Reads a contact; `undefined` when the value is not one (no string `id`). */
export function parseContact(value: unknown): Contact | undefined {
  if (!isJsonObject(value)) return undefined;
  const id = text(value, 'id');
  if (id === undefined) return undefined;
  const externalId = text(value, 'external_id');
  const email = text(value, 'email');
  const role = text(value, 'role');
  return {
    id,
    ...(externalId === undefined ? {} : { external_id: externalId }),
    ...(email === undefined ? {} : { email }),
    ...(role === undefined ? {} : { role }),
  };
}

/** Reads a company; `undefined` when the value is not one. */
export function parseCompany(value: unknown): Company | undefined {
  if (!isJsonObject(value)) return undefined;
  const id = text(value, 'id');
  if (id === undefined) return undefined;
  const companyId = text(value, 'company_id');
  return { id, ...(companyId === undefined ? {} : { company_id: companyId }) };
}

/** Reads a data attribute; `undefined` when the value is not one. */
export function parseDataAttribute(value: unknown): DataAttribute | undefined {
  if (!isJsonObject(value)) return undefined;
  const name = text(value, 'name');
  const model = text(value, 'model');
  const dataType = text(value, 'data_type');
  if (name === undefined || model === undefined || dataType === undefined) return undefined;
  return { name, model, data_type: dataType };
}

/** Reads `GET /me`; `undefined` when the value is not an object. */
export function parseMe(value: unknown): Me | undefined {
  if (!isJsonObject(value)) return undefined;
  const id = text(value, 'id');
  const app = value['app'];
  const idCode = isJsonObject(app) ? text(app, 'id_code') : undefined;
  return {
    ...(id === undefined ? {} : { id }),
    ...(idCode === undefined ? {} : { app: { id_code: idCode } }),
  };
}

/**
 * Reads a `list` answer's `data` items with `parse`; `undefined` when there is no `data` array.
 * Items that do not parse are left out rather than failing the whole list.
 */
export function parseList<T>(value: unknown, parse: (item: unknown) => T | undefined): T[] | undefined {
  if (!isJsonObject(value)) return undefined;
  const data = value['data'];
  if (!Array.isArray(data)) return undefined;
  return data.map(parse).filter((item): item is T => item !== undefined);
}
