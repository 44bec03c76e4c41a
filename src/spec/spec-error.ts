/** Base class of the errors `src/spec` throws; these signal programming errors, never bad event data (that is a `ParseIssue`). */
export class SpecError extends Error {
  override readonly name: string = 'SpecError';
}

/** A caller passed a server receive time that is not a date. */
export class InvalidReceivedAtError extends SpecError {
  override readonly name = 'InvalidReceivedAtError';

  constructor() {
    super('receivedAt must be an ISO-8601 date');
  }
}
