/** Machine-readable kinds of problems found in incoming event data. */
export type ParseIssueCode =
  | 'not_object'
  | 'missing_type'
  | 'invalid_type'
  | 'type_mismatch'
  | 'missing_identity'
  | 'invalid_id'
  | 'missing_event'
  | 'missing_group_id'
  | 'missing_previous_id'
  | 'invalid_object'
  | 'invalid_string'
  | 'invalid_timestamp'
  | 'invalid_batch'
  | 'event_too_large';

/** One problem with incoming data; `path` is the field (relative to the event, or to the batch envelope). */
export interface ParseIssue {
  readonly path: string;
  readonly code: ParseIssueCode;
  readonly message: string;
}

/** One line naming every issue, for logs and HTTP error messages. */
export function describeIssues(issues: readonly ParseIssue[]): string {
  return issues.map((issue) => issue.message).join('; ');
}
