/** Base class of the errors `src/segment` throws; these signal programming errors, never bad event data (that is a `ParseIssue`). */
export class SegmentError extends Error {
  override readonly name: string = 'SegmentError';
}

/** A caller passed a server receive time that is not a date. */
export class InvalidReceivedAtError extends SegmentError {
  override readonly name = 'InvalidReceivedAtError';

  constructor() {
    super('receivedAt must be an ISO-8601 date');
  }
}
