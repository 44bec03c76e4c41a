/** Names of the concrete delivery error classes. */
export type DeliveryErrorName =
  'StoreWriteError' | 'StoreReadError' | 'StoreSchemaError' | 'StoreThreadError';

/** Base class of every failure of the delivery layer. */
export abstract class DeliveryError extends Error {
  abstract override readonly name: DeliveryErrorName;
}

/** The store could not commit a write (the server answers 5xx, nothing was acknowledged). */
export class StoreWriteError extends DeliveryError {
  override readonly name = 'StoreWriteError';

  constructor(operation: string, options: { cause: unknown }) {
    super(`job store: ${operation} failed`, options);
  }
}

/** A stored row could not be read back (corrupt JSON or an unknown status). */
export class StoreReadError extends DeliveryError {
  override readonly name = 'StoreReadError';

  constructor(what: string, options?: { cause?: unknown }) {
    super(`job store: cannot read ${what}`, options);
  }
}

/** The database was written by a newer version of this program. */
export class StoreSchemaError extends DeliveryError {
  override readonly name = 'StoreSchemaError';

  constructor(found: number, supported: number) {
    super(`job store: schema version ${found} is newer than the supported ${supported}`);
  }
}
