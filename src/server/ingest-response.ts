import type { ParseIssueCode } from '../segment/parse-issue.js';

/** An event of a batch that was not accepted, and why (I-4). */
export interface RejectedEvent {
  readonly index: number;
  readonly code: ParseIssueCode;
  readonly reason: string;
}

/** The 200 answer: `success: true` as Segment's API answers, plus what was accepted and rejected. */
export interface IngestSuccess {
  readonly success: true;
  readonly accepted: number;
  readonly rejected: readonly RejectedEvent[];
}

/** Every error answer, produced only by `toErrorResponse`. */
export interface IngestFailureBody {
  readonly success: false;
  readonly error: { readonly code: string; readonly message: string };
  readonly rejected?: readonly RejectedEvent[];
}
