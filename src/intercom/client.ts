import { parseErrorBody, parseLinkHeader } from './error-body.js';
import type { RequestLabel } from './errors.js';
import {
  IntercomHttpError,
  IntercomNetworkError,
  IntercomResponseError,
  IntercomTimeoutError,
} from './errors.js';
import type { AttributeModel, CompanyFields, ContactFields, EventFields } from './operations.js';
import type { RateLimitInfo } from './outcome.js';
import { parseRateLimitHeaders } from './rate-limit-headers.js';
import type { Region } from './region.js';
import { regionBaseUrl } from './region.js';
import type { Company, Contact, DataAttribute, Me } from './responses.js';
import type { CreateDataAttributeFields, IntercomApi, IntercomResponse } from './api-calls.js';
import { parseCompany, parseContact, parseDataAttribute, parseList, parseMe } from './responses.js';
import { describeNetworkError } from './network-error-text.js';

/** The `fetch` signature the client needs (Node's global `fetch` fits; tests inject fakes). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** How to reach one Intercom workspace. */
export interface IntercomClientOptions {
  /**
   * Bearer token; never appears in errors, logs or messages. A function is asked before every call, so
   * a token connected later (OAuth) is used without building a new client.
   */
  readonly accessToken: string | (() => string);
  /** Picks the API host when `apiBaseUrl` is not given; default `us`. */
  readonly region?: Region;
  /** Overrides the region's host (the sandbox, a proxy, tests). */
  readonly apiBaseUrl?: string;
  /** Sent as `Intercom-Version`; default `2.16`. */
  readonly apiVersion?: string;
  /** Whole-request budget (connect, headers and body); default 20 000 ms. */
  readonly timeoutMs?: number;
  /** Injected transport (tests, proxies, metrics); default the global `fetch`. */
  readonly fetch?: FetchFunction;
}

interface RequestSpec {
  readonly label: RequestLabel;
  /** Concrete path, ids already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

interface RawAnswer {
  readonly status: number;
  readonly text: string;
  readonly rateLimit: RateLimitInfo | undefined;
}

const DEFAULT_API_VERSION = '2.16';
const DEFAULT_TIMEOUT_MS = 20_000;
const SEARCH_PAGE_SIZE = 50;

/** Encodes one path segment (external ids may hold `/`, `?`, spaces). */
const seg = encodeURIComponent;

/** A thin typed client over `fetch` for one Intercom workspace (ARCHITECTURE.md decision 1). */
export class IntercomClient implements IntercomApi {
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly timeoutMs: number;
  readonly #accessToken: () => string;
  readonly #fetch: FetchFunction;

  constructor(options: IntercomClientOptions) {
    this.baseUrl = (options.apiBaseUrl ?? regionBaseUrl(options.region ?? 'us')).replace(/\/+$/, '');
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const token = options.accessToken;
    this.#accessToken = typeof token === 'string' ? () => token : token;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
  }

  async getMe(): Promise<IntercomResponse<Me>> {
    const answer = await this.#call({ label: { method: 'GET', route: '/me' }, path: '/me' });
    return this.#read(answer, { method: 'GET', route: '/me' }, parseMe, 'an admin');
  }

  async findContactByExternalId(externalId: string): Promise<IntercomResponse<Contact | undefined>> {
    const label = { method: 'GET', route: '/contacts/find_by_external_id/{external_id}' };
    const answer = await this.#call(
      { label, path: `/contacts/find_by_external_id/${seg(externalId)}` },
      [404],
    );
    if (answer.status === 404) return withRateLimit(undefined, answer);
    // Older API versions answered this route with a one-item list.
    return this.#read(answer, label, (v) => parseContact(v) ?? parseList(v, parseContact)?.[0], 'a contact');
  }

  async searchContactsByEmail(email: string): Promise<IntercomResponse<readonly Contact[]>> {
    const label = { method: 'POST', route: '/contacts/search' };
    const body = {
      query: { field: 'email', operator: '=', value: email },
      pagination: { per_page: SEARCH_PAGE_SIZE },
    };
    const answer = await this.#call({ label, path: '/contacts/search', body });
    return this.#read(answer, label, (v) => parseList(v, parseContact), 'a contact list');
  }

  async createContact(fields: ContactFields): Promise<IntercomResponse<Contact>> {
    const label = { method: 'POST', route: '/contacts' };
    const answer = await this.#call({ label, path: '/contacts', body: fields });
    return this.#read(answer, label, parseContact, 'a contact');
  }

  async updateContact(contactId: string, fields: ContactFields): Promise<IntercomResponse<Contact>> {
    const label = { method: 'PUT', route: '/contacts/{contact_id}' };
    const answer = await this.#call({ label, path: `/contacts/${seg(contactId)}`, body: fields });
    return this.#read(answer, label, parseContact, 'a contact');
  }

  async getContact(contactId: string): Promise<IntercomResponse<Contact>> {
    const label = { method: 'GET', route: '/contacts/{contact_id}' };
    const answer = await this.#call({ label, path: `/contacts/${seg(contactId)}` });
    return this.#read(answer, label, parseContact, 'a contact');
  }

  async deleteContact(contactId: string): Promise<IntercomResponse<boolean>> {
    const label = { method: 'DELETE', route: '/contacts/{contact_id}' };
    const answer = await this.#call({ label, path: `/contacts/${seg(contactId)}` }, [404]);
    return withRateLimit(answer.status !== 404, answer);
  }

  async mergeContacts(fromLeadId: string, intoUserId: string): Promise<IntercomResponse<Contact>> {
    const label = { method: 'POST', route: '/contacts/merge' };
    const answer = await this.#call({
      label,
      path: '/contacts/merge',
      body: { from: fromLeadId, into: intoUserId },
    });
    return this.#read(answer, label, parseContact, 'a contact');
  }

  async unarchiveContact(contactId: string): Promise<IntercomResponse<Contact>> {
    const label = { method: 'POST', route: '/contacts/{contact_id}/unarchive' };
    const answer = await this.#call({ label, path: `/contacts/${seg(contactId)}/unarchive` });
    return this.#read(answer, label, parseContact, 'a contact');
  }

  async upsertCompany(fields: CompanyFields): Promise<IntercomResponse<Company>> {
    const label = { method: 'POST', route: '/companies' };
    const answer = await this.#call({ label, path: '/companies', body: fields });
    return this.#read(answer, label, parseCompany, 'a company');
  }

  async findCompanyByCompanyId(companyId: string): Promise<IntercomResponse<Company | undefined>> {
    const label = { method: 'GET', route: '/companies?company_id=' };
    const answer = await this.#call({ label, path: '/companies', query: { company_id: companyId } }, [404]);
    if (answer.status === 404) return withRateLimit(undefined, answer);
    return this.#read(answer, label, (v) => parseCompany(v) ?? parseList(v, parseCompany)?.[0], 'a company');
  }

  async attachContactToCompany(
    contactId: string,
    intercomCompanyId: string,
  ): Promise<IntercomResponse<undefined>> {
    const label = { method: 'POST', route: '/contacts/{contact_id}/companies' };
    const answer = await this.#call({
      label,
      path: `/contacts/${seg(contactId)}/companies`,
      body: { id: intercomCompanyId },
    });
    return withRateLimit(undefined, answer);
  }

  async detachContactFromCompany(
    contactId: string,
    intercomCompanyId: string,
  ): Promise<IntercomResponse<undefined>> {
    const label = { method: 'DELETE', route: '/contacts/{contact_id}/companies/{company_id}' };
    const answer = await this.#call({
      label,
      path: `/contacts/${seg(contactId)}/companies/${seg(intercomCompanyId)}`,
    });
    return withRateLimit(undefined, answer);
  }

  async submitEvent(fields: EventFields): Promise<IntercomResponse<undefined>> {
    const answer = await this.#call({
      label: { method: 'POST', route: '/events' },
      path: '/events',
      body: fields,
    });
    return withRateLimit(undefined, answer);
  }

  async listDataAttributes(model: AttributeModel): Promise<IntercomResponse<readonly DataAttribute[]>> {
    const label = { method: 'GET', route: '/data_attributes' };
    const answer = await this.#call({ label, path: '/data_attributes', query: { model } });
    return this.#read(answer, label, (v) => parseList(v, parseDataAttribute), 'a data attribute list');
  }

  async createDataAttribute(fields: CreateDataAttributeFields): Promise<IntercomResponse<DataAttribute>> {
    const label = { method: 'POST', route: '/data_attributes' };
    const answer = await this.#call({ label, path: '/data_attributes', body: fields });
    return this.#read(answer, label, parseDataAttribute, 'a data attribute');
  }

  /** Parses a 2xx body with `parse`, or throws `IntercomResponseError`. */
  #read<T>(
    answer: RawAnswer,
    label: RequestLabel,
    parse: (json: unknown) => T | undefined,
    expected: string,
  ): IntercomResponse<T> {
    let json: unknown;
    try {
      json = JSON.parse(answer.text);
    } catch {
      throw new IntercomResponseError(answer.status, `body is not JSON, expected ${expected}`, label);
    }
    const value = parse(json);
    if (value === undefined) throw new IntercomResponseError(answer.status, `body is not ${expected}`, label);
    return withRateLimit(value, answer);
  }

  /**
   * Makes one HTTP call. Answers 2xx and the statuses in `accepted` come back; any other status
   * throws `IntercomHttpError`; an abort by our timer throws `IntercomTimeoutError`; any other
   * failure throws `IntercomNetworkError`. The timer also covers reading the body.
   */
  async #call(spec: RequestSpec, accepted: readonly number[] = []): Promise<RawAnswer> {
    const token = this.#accessToken();
    const url = new URL(this.baseUrl + spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      'Intercom-Version': this.apiVersion,
      Accept: 'application/json',
    };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const response = await this.#fetch(url.toString(), {
        method: spec.label.method,
        headers,
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        signal: controller.signal,
        // Never re-send a request elsewhere behind the policy's back.
        redirect: 'manual',
      });
      const text = redact(await response.text(), token);
      const rateLimit = parseRateLimitHeaders(response.headers);
      if ((response.status >= 200 && response.status < 300) || accepted.includes(response.status)) {
        return { status: response.status, text, rateLimit };
      }
      const body = parseErrorBody(text);
      throw new IntercomHttpError(
        {
          status: response.status,
          errors: body.errors,
          ...(body.requestId === undefined ? {} : { requestId: body.requestId }),
          ...(rateLimit === undefined ? {} : { rateLimit }),
          ...linkOf(response.headers.get('link')),
        },
        spec.label,
      );
    } catch (error: unknown) {
      if (error instanceof IntercomHttpError) throw error;
      if (timedOut) throw new IntercomTimeoutError(this.timeoutMs, spec.label);
      // The cause is not attached: a low-level error may quote request headers, token included.
      throw new IntercomNetworkError(redact(describeNetworkError(error), token), spec.label);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether a token is set (an OAuth destination has none until it is connected). */
  hasToken(): boolean {
    return this.#accessToken() !== '';
  }
}

/** Removes the token from text that may reach logs. */
function redact(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('[redacted]');
}

function withRateLimit<T>(value: T, answer: RawAnswer): IntercomResponse<T> {
  return {
    value,
    status: answer.status,
    ...(answer.rateLimit === undefined ? {} : { rateLimit: answer.rateLimit }),
  };
}

function linkOf(header: string | null): { link?: NonNullable<ReturnType<typeof parseLinkHeader>> } {
  const link = parseLinkHeader(header);
  return link === undefined ? {} : { link };
}
