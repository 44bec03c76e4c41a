import { isJsonObject } from '../segment/json.js';

/** One entry of Intercom's `error.list` body. */
export interface IntercomErrorItem {
  readonly code: string;
  readonly message?: string;
  readonly field?: string;
}

/** What we read from an error answer's body (`{type: 'error.list', request_id, errors: [...]}`). */
export interface IntercomErrorBody {
  readonly errors: readonly IntercomErrorItem[];
  readonly requestId?: string;
}

/** Longest piece of a non-JSON error body kept (a proxy's HTML page is useless past this). */
const MAX_RAW_MESSAGE_CHARS = 200;

function parseItem(value: unknown): IntercomErrorItem | undefined {
  if (!isJsonObject(value) || typeof value['code'] !== 'string') return undefined;
  const message = value['message'];
  const field = value['field'];
  return {
    code: value['code'],
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof field === 'string' ? { field } : {}),
  };
}

/**
 * Parses an error answer's text defensively: Intercom's `error.list`, or, for anything else (a
 * gateway's HTML page, an empty body), one item with code `unknown` and a short excerpt.
 */
export function parseErrorBody(text: string): IntercomErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (isJsonObject(json)) {
    const rawErrors = json['errors'];
    const errors = Array.isArray(rawErrors)
      ? rawErrors.map(parseItem).filter((item): item is IntercomErrorItem => item !== undefined)
      : [];
    const requestId = json['request_id'];
    if (errors.length > 0) return { errors, ...(typeof requestId === 'string' ? { requestId } : {}) };
  }
  const excerpt = text.trim().slice(0, MAX_RAW_MESSAGE_CHARS);
  return { errors: excerpt === '' ? [] : [{ code: 'unknown', message: excerpt }] };
}

/** The id in a 409 conflict message, e.g. "A contact matching those details already exists with id=5f…" (intercom-api.md §4.8). */
export function parseExistingContactId(message: string | undefined): string | undefined {
  return message === undefined ? undefined : /already exists with id=([A-Za-z0-9_-]+)/.exec(message)?.[1];
}

/** Whether a 409's message says the existing contact is archived (C-IDN-4, intercom-api.md §4.8). */
export function isArchivedConflict(message: string | undefined): boolean {
  return message !== undefined && /^An archived contact\b/i.test(message.trim());
}

/** The attribute name in a 400 `parameter_invalid` "Custom attribute '<name>' does not exist" (intercom-api.md §4.4). */
export function parseMissingAttribute(item: IntercomErrorItem): string | undefined {
  if (item.code !== 'parameter_invalid' || item.message === undefined) return undefined;
  return /Custom attribute '(.+?)' does not exist/i.exec(item.message)?.[1];
}

/** A resource's canonical location from a `Link` header. */
export interface CanonicalLink {
  /** Path as Intercom gave it, e.g. `/contacts/abc`. */
  readonly path: string;
  /** The last path segment: the surviving resource's Intercom id. */
  readonly id: string;
}

/**
 * Reads the canonical target of a `Link` header (`</contacts/abc>; rel="canonical"`), which Intercom
 * sends with a 410 `contact_merged` (intercom-api.md §3.3). Prefers `rel="canonical"`, else the first link.
 */
export function parseLinkHeader(header: string | null | undefined): CanonicalLink | undefined {
  if (header === null || header === undefined) return undefined;
  const links = [...header.matchAll(/<([^>]*)>([^,]*)/g)].map((m) => ({
    target: m[1] ?? '',
    params: m[2] ?? '',
  }));
  const chosen = links.find((l) => /rel\s*=\s*"?canonical"?/i.test(l.params)) ?? links[0];
  if (chosen === undefined) return undefined;
  try {
    const path = new URL(chosen.target, 'http://link.invalid').pathname;
    const last = path.split('/').findLast((segment) => segment !== '');
    return last === undefined ? undefined : { path, id: decodeURIComponent(last) };
  } catch {
    // A malformed URL or percent-escape: no usable canonical id.
    return undefined;
  }
}
