import type { Operation } from './operations.js';

/** Intercom's rate-limit headers of one response (`X-RateLimit-*`), per 10-second window. */
export interface RateLimitInfo {
  readonly limit: number;
  readonly remaining: number;
  /** Unix seconds at which the window resets. */
  readonly resetAtSeconds: number;
}

/** Why a call to Intercom failed, with what a retry policy needs. */
export type IntercomFailure =
  | {
      readonly kind: 'http';
      readonly status: number;
      /** Intercom's `errors[0].code`, e.g. `rate_limit_exceeded`, `parameter_invalid`. */
      readonly code?: string;
      readonly message?: string;
      readonly requestId?: string;
      readonly rateLimit?: RateLimitInfo;
    }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'network'; readonly message: string }
  | {
      /** C-IDN-4: Intercom's 409 named a contact with another external_id; retrying cannot help. */
      readonly kind: 'identity_conflict';
      readonly status: 409;
      /** The Intercom id of the contact the 409 named. */
      readonly contactId: string;
      readonly message: string;
    };

/** The result of carrying out one plan against Intercom. */
export type ExecutionOutcome =
  | {
      readonly kind: 'delivered';
      /** HTTP calls spent on this plan (API frugality is measured with this). */
      readonly calls: number;
      /** Things done on the way (attribute created, 409 id used, merged contact followed, attribute dropped). */
      readonly notes: readonly string[];
      readonly rateLimit?: RateLimitInfo;
    }
  | {
      readonly kind: 'failed';
      readonly calls: number;
      /** The operation that failed (`delete_contact`: an erasure, L-4). */
      readonly operation: Operation['kind'] | 'delete_contact';
      readonly failure: IntercomFailure;
      readonly notes: readonly string[];
      readonly rateLimit?: RateLimitInfo;
    };
