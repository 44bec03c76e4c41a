import { type BodyObject, isBodyObject, numberField, stringField } from './body-fields.js';
import { liveContacts } from './contact-store.js';
import { type Result, ok, fail } from './api-result.js';
import type { SandboxContact, Store } from './store.js';

/** Intercom allows at most 2 levels of nested filters and 15 filters per group (intercom-api.md §3.5). */
const MAX_DEPTH = 2;
const MAX_GROUP_SIZE = 15;
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 150;

const FIELDS = [
  'id',
  'external_id',
  'email',
  'role',
  'name',
  'phone',
  'created_at',
  'updated_at',
  'signed_up_at',
  'last_seen_at',
];

type Scalar = string | number | boolean | null;
type Predicate = (contact: SandboxContact) => boolean;

function fieldValue(contact: SandboxContact, field: string): Scalar | undefined {
  if (field.startsWith('custom_attributes.'))
    return contact.custom_attributes[field.slice('custom_attributes.'.length)] ?? null;
  if (field === 'email_domain') return contact.email?.split('@')[1] ?? null;
  if (!FIELDS.includes(field)) return undefined;
  const value: unknown = contact[field as keyof SandboxContact];
  return typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
    ? value
    : undefined;
}

function comparable(v: unknown): Scalar {
  return typeof v === 'string' ? v.toLowerCase() : typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

function compare(operator: string, actual: Scalar, expected: unknown): boolean | undefined {
  const a = comparable(actual);
  const list = Array.isArray(expected) ? expected.map(comparable) : [comparable(expected)];
  const e = list[0] ?? null;
  const text = typeof a === 'string' && typeof e === 'string';
  const numbers = typeof a === 'number' && typeof e === 'number';
  switch (operator) {
    case '=':
      return a === e;
    case '!=':
      return a !== e;
    case 'IN':
      return list.includes(a);
    case 'NIN':
      return !list.includes(a);
    case '~':
      return text && a.includes(e);
    case '!~':
      return !(text && a.includes(e));
    case '^':
      return text && a.startsWith(e);
    case '$':
      return text && a.endsWith(e);
    case '<':
      return numbers && a < e;
    case '<=':
      return numbers && a <= e;
    case '>':
      return numbers && a > e;
    case '>=':
      return numbers && a >= e;
    default:
      return undefined;
  }
}

/** Compiles an Intercom search query (a filter or an AND/OR group) into a predicate, or the 400 Intercom answers. */
export function compileQuery(query: unknown, depth = 0): Result<Predicate> {
  if (!isBodyObject(query)) return fail(400, 'parameter_invalid', 'query must be an object');
  const operator = stringField(query, 'operator');
  if (operator === 'AND' || operator === 'OR') {
    const value = query['value'];
    if (!Array.isArray(value) || value.length === 0)
      return fail(400, 'parameter_invalid', `${operator} needs a list of filters`);
    if (depth >= MAX_DEPTH) return fail(400, 'parameter_invalid', 'Search queries may nest at most 2 levels');
    if (value.length > MAX_GROUP_SIZE)
      return fail(400, 'parameter_invalid', 'At most 15 filters are allowed per group');
    const parts: Predicate[] = [];
    for (const item of value) {
      const part = compileQuery(item, depth + 1);
      if (!part.ok) return part;
      parts.push(part.value);
    }
    return ok(operator === 'AND' ? (c) => parts.every((p) => p(c)) : (c) => parts.some((p) => p(c)));
  }
  const field = stringField(query, 'field');
  if (field === undefined || operator === undefined)
    return fail(400, 'parameter_invalid', 'A filter needs field, operator and value');
  const expected = query['value'];
  if (compare(operator, null, expected) === undefined)
    return fail(400, 'parameter_invalid', `Unsupported operator ${operator}`);
  return ok((contact) => {
    const actual = fieldValue(contact, field);
    return actual !== undefined && compare(operator, actual, expected) === true;
  });
}

/** The `pages` object of a search answer (cursor = index of the last contact shown). */
interface SearchPage {
  readonly data: SandboxContact[];
  readonly total_count: number;
  readonly pages: Readonly<Record<string, unknown>>;
}

/**
 * `POST /contacts/search`: matches live contacts created at least `searchLagMs` ago, because Intercom's
 * search is eventually consistent (a new contact is not searchable for a while; intercom-api.md §3.5).
 */
export function searchContacts(store: Store, body: BodyObject): Result<SearchPage> {
  const predicate = compileQuery(body['query']);
  if (!predicate.ok) return predicate;
  const visibleBefore = store.settings.clock.now() - store.settings.searchLagMs;
  const matches = liveContacts(store)
    .filter((c) => c.created_at_ms <= visibleBefore || store.settings.searchLagMs === 0)
    .filter(predicate.value);
  const pagination = isBodyObject(body['pagination']) ? body['pagination'] : {};
  const perPage = Math.min(
    Math.max(Math.trunc(numberField(pagination, 'per_page') ?? DEFAULT_PER_PAGE), 1),
    MAX_PER_PAGE,
  );
  const after = stringField(pagination, 'starting_after');
  const start = after === undefined ? 0 : Math.max(Number.parseInt(after, 10) || 0, 0);
  const data = matches.slice(start, start + perPage).map((c) => structuredClone(c));
  const end = start + data.length;
  const pages = {
    type: 'pages',
    page: Math.floor(start / perPage) + 1,
    per_page: perPage,
    total_pages: Math.max(Math.ceil(matches.length / perPage), 1),
    ...(end < matches.length ? { next: { per_page: perPage, starting_after: String(end) } } : {}),
  };
  return ok({ data, total_count: matches.length, pages });
}
