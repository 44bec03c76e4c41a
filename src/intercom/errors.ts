import type { IntercomErrorItem, CanonicalLink } from './error-body.js';
import { isArchivedConflict, parseExistingContactId, parseMissingAttribute } from './error-body.js';
import type { IntercomFailure, RateLimitInfo } from './outcome.js';

/** Names of the concrete Intercom error classes (the `name` of each instance). */
export type IntercomErrorName =
  | 'IntercomHttpError'
  | 'IntercomTimeoutError'
  | 'IntercomNetworkError'
  | 'IntercomResponseError'
  | 'IntercomIdentityConflictError';

/** Where a request went, named by route template so ids and emails stay out of messages. */
export interface RequestLabel {
  readonly method: string;
  /** Route template, e.g. `/contacts/{contact_id}`. */
  readonly route: string;
}

/** Base class of every failure of a call to Intercom; `toFailure()` turns it into data for the retry policy. */
export abstract class IntercomError extends Error {
  abstract override readonly name: IntercomErrorName;
  readonly request: RequestLabel;

  protected constructor(message: string, request: RequestLabel, options?: { cause?: unknown }) {
    super(message, options);
    this.request = request;
  }

  /** The failure as a plain value (`outcome.ts`), safe to store and log. */
  abstract toFailure(): IntercomFailure;
}

/** What an HTTP error answer carried. */
export interface HttpErrorDetails {
  readonly status: number;
  readonly errors: readonly IntercomErrorItem[];
  readonly requestId?: string;
  readonly rateLimit?: RateLimitInfo;
  readonly link?: CanonicalLink;
}

/** Intercom answered with a non-2xx status. */
export class IntercomHttpError extends IntercomError {
  override readonly name = 'IntercomHttpError';
  readonly status: number;
  /** Intercom's `errors[0].code`, e.g. `conflict`, `contact_merged`, `rate_limit_exceeded`. */
  readonly code: string | undefined;
  /** Intercom's `errors[0].message`. */
  readonly intercomMessage: string | undefined;
  readonly errors: readonly IntercomErrorItem[];
  readonly requestId: string | undefined;
  /** The answer's rate-limit headers; on a 429, `resetAtSeconds` says when to try again. */
  readonly rateLimit: RateLimitInfo | undefined;
  /** The canonical resource from a `Link` header (410 `contact_merged`). */
  readonly link: CanonicalLink | undefined;
  /** On a 409, the existing contact's id parsed from the message (C-IDN-2). */
  readonly existingContactId: string | undefined;
  /** On a 409, whether the message says that contact is archived (C-IDN-4). */
  readonly existingContactArchived: boolean;
  /** On a 400 `parameter_invalid`, the custom attribute Intercom says does not exist. */
  readonly missingAttribute: string | undefined;

  constructor(details: HttpErrorDetails, request: RequestLabel) {
    const first = details.errors[0];
    const what =
      first === undefined ? '' : ` ${first.code}${first.message === undefined ? '' : `: ${first.message}`}`;
    super(`Intercom answered ${details.status} to ${request.method} ${request.route}${what}`, request);
    this.status = details.status;
    this.code = first?.code;
    this.intercomMessage = first?.message;
    this.errors = details.errors;
    this.requestId = details.requestId;
    this.rateLimit = details.rateLimit;
    this.link = details.link;
    this.existingContactId =
      details.status === 409
        ? details.errors.map((e) => parseExistingContactId(e.message)).find(Boolean)
        : undefined;
    this.existingContactArchived =
      details.status === 409 && details.errors.some((e) => isArchivedConflict(e.message));
    this.missingAttribute =
      details.status === 400
        ? details.errors.map(parseMissingAttribute).find((n) => n !== undefined)
        : undefined;
  }

  override toFailure(): IntercomFailure {
    return {
      kind: 'http',
      status: this.status,
      ...(this.code === undefined ? {} : { code: this.code }),
      ...(this.intercomMessage === undefined ? {} : { message: this.intercomMessage }),
      ...(this.requestId === undefined ? {} : { requestId: this.requestId }),
      ...(this.rateLimit === undefined ? {} : { rateLimit: this.rateLimit }),
    };
  }
}

/** No complete answer within the client's timeout (the request may or may not have been applied). */
export class IntercomTimeoutError extends IntercomError {
  override readonly name = 'IntercomTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, request: RequestLabel, options?: { cause?: unknown }) {
    super(
      `${request.method} ${request.route} got no answer from Intercom within ${timeoutMs} ms`,
      request,
      options,
    );
    this.timeoutMs = timeoutMs;
  }

  override toFailure(): IntercomFailure {
    return { kind: 'timeout', timeoutMs: this.timeoutMs };
  }
}

/** The connection failed (refused, reset, DNS, TLS) before a complete answer arrived. */
export class IntercomNetworkError extends IntercomError {
  override readonly name = 'IntercomNetworkError';
  /** The underlying reason, e.g. `ECONNRESET: other side closed`, with the token redacted. */
  readonly reason: string;

  constructor(reason: string, request: RequestLabel, options?: { cause?: unknown }) {
    super(`${request.method} ${request.route} failed: ${reason}`, request, options);
    this.reason = reason;
  }

  override toFailure(): IntercomFailure {
    return { kind: 'network', message: this.reason };
  }
}

/** A 2xx answer whose body is not what the endpoint documents (never trust JSON). */
export class IntercomResponseError extends IntercomError {
  override readonly name = 'IntercomResponseError';
  readonly status: number;

  constructor(status: number, detail: string, request: RequestLabel) {
    super(`Unexpected answer ${status} to ${request.method} ${request.route}: ${detail}`, request);
    this.status = status;
  }

  override toFailure(): IntercomFailure {
    return { kind: 'http', status: this.status, code: 'invalid_response', message: this.message };
  }
}

/**
 * C-IDN-4: a 409 named a contact this event must not overwrite (it carries another external_id), so
 * no retry can succeed. The message names the contact by Intercom id only, never by email.
 */
export class IntercomIdentityConflictError extends IntercomError {
  override readonly name = 'IntercomIdentityConflictError';
  /** The Intercom id of the contact the 409 named. */
  readonly contactId: string;

  constructor(contactId: string, request: RequestLabel) {
    super(
      `${request.method} ${request.route} answered 409 naming contact ${contactId}, which has another external_id`,
      request,
    );
    this.contactId = contactId;
  }

  override toFailure(): IntercomFailure {
    return { kind: 'identity_conflict', status: 409, contactId: this.contactId, message: this.message };
  }
}
