import type { IntercomResponse } from './api-calls.js';
import { IntercomHttpError } from './errors.js';
import type { RateLimitInfo } from './outcome.js';

/** What one plan execution has spent and learned so far; every Intercom call goes through `call`. */
export interface CallTally {
  /** Makes one counted call, remembering its rate-limit headers (from errors too), and returns its value. */
  call<T>(send: () => Promise<IntercomResponse<T>>): Promise<T>;
  /** Records something done on the way (409 id used, attribute created, …). */
  note(text: string): void;
  readonly calls: number;
  readonly notes: readonly string[];
  readonly rateLimit: RateLimitInfo | undefined;
}

/** A fresh tally for one plan execution. */
export function createCallTally(): CallTally {
  let calls = 0;
  let rateLimit: RateLimitInfo | undefined;
  const notes: string[] = [];
  return {
    async call<T>(send: () => Promise<IntercomResponse<T>>): Promise<T> {
      calls += 1;
      try {
        const response = await send();
        if (response.rateLimit !== undefined) rateLimit = response.rateLimit;
        return response.value;
      } catch (error: unknown) {
        if (error instanceof IntercomHttpError && error.rateLimit !== undefined) rateLimit = error.rateLimit;
        throw error;
      }
    },
    note(text) {
      notes.push(text);
    },
    get calls() {
      return calls;
    },
    get notes() {
      return notes;
    },
    get rateLimit() {
      return rateLimit;
    },
  };
}
