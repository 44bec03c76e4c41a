import { IngestError } from './ingest-error.js';

/** The admin routes (replay, deletions) are off: no ADMIN_TOKEN is configured. */
export class AdminDisabledError extends IngestError {
  override readonly name = 'AdminDisabledError';

  constructor() {
    super(404, 'admin_disabled', 'admin routes are off: set ADMIN_TOKEN on the server to use them');
  }
}

/** An admin route was called without the admin credential, or with another one. */
export class AdminUnauthorizedError extends IngestError {
  override readonly name = 'AdminUnauthorizedError';

  constructor(reason: 'missing' | 'wrong') {
    super(
      reason === 'missing' ? 401 : 403,
      reason === 'missing' ? 'unauthorized' : 'forbidden',
      reason === 'missing'
        ? 'this route needs the admin credential: Authorization: Bearer <ADMIN_TOKEN>'
        : 'the admin credential is not the server’s ADMIN_TOKEN',
    );
  }
}

/** An admin request names something the server does not have, or is malformed. */
export class InvalidAdminRequestError extends IngestError {
  override readonly name = 'InvalidAdminRequestError';

  constructor(message: string) {
    super(400, 'invalid_request', message);
  }
}

/** `GET /v1/deletions/{id}` of an id the queue does not know. */
export class DeletionNotFoundError extends IngestError {
  override readonly name = 'DeletionNotFoundError';

  constructor() {
    super(404, 'deletion_not_found', 'no deletion with this id');
  }
}
