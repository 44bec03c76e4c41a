import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock.js';
import { hashErasureKey } from '../delivery/store/erasure-hash.js';
import type { ErasureKey, ErasureRecord, Erasures } from '../delivery/store/erasures.js';
import type { DeletionDesk } from '../server/deletion-routes.js';

/** What the desk needs: the queue's erasures, the destinations that exist, a clock. */
export interface DeletionDeskOptions {
  readonly erasures: Pick<Erasures, 'requestErasure' | 'erasureRecords'>;
  readonly destinationIds: readonly string[];
  readonly clock: Clock;
  readonly newDeletionId?: () => string;
}

/** A deletion's status from its audit rows: failed if any key failed, pending while any is, else done. */
export function deletionReport(records: readonly ErasureRecord[]): Readonly<Record<string, unknown>> {
  const status = records.some((r) => r.status === 'failed')
    ? 'failed'
    : records.some((r) => r.status === 'pending')
      ? 'pending'
      : 'done';
  const iso = (ms: number | undefined): string | undefined =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const finished = records.every((r) => r.finishedAtMs !== undefined)
    ? Math.max(...records.map((r) => r.finishedAtMs ?? 0))
    : undefined;
  return {
    deletionId: records[0]?.deletionId,
    destination: records[0]?.destinationId,
    status,
    requestedAt: iso(records[0]?.requestedAtMs),
    finishedAt: iso(finished),
    // The audit keeps a salted hash of each key, never the key (L-4).
    keys: records.map((r) => ({
      position: r.position,
      kind: r.key.kind,
      keyHash: r.key.hash,
      keySalt: r.key.salt,
      status: r.status,
      finishedAt: iso(r.finishedAtMs),
      purgedJobs: r.purgedJobs,
      purgedDeadLetters: r.purgedDeadLetters,
      contactsDeleted: r.contactsDeleted,
      ...(r.error === undefined ? {} : { error: r.error }),
    })),
  };
}

/**
 * Deletion requests over the queue (L-4), as `forget` and `POST /v1/deletions` make them: the
 * destination defaults to the only one configured; each key is hashed for the audit before it is
 * stored, and queued as a deletion job in its user's lane.
 */
export function createDeletionDesk(options: DeletionDeskOptions): DeletionDesk {
  const newId = options.newDeletionId ?? (() => `del_${randomUUID()}`);
  return {
    async request(destinationId, keys) {
      const destination =
        destinationId ?? (options.destinationIds.length === 1 ? options.destinationIds[0] : undefined);
      if (destination === undefined || !options.destinationIds.includes(destination)) return undefined;
      const deletionId = newId();
      await options.erasures.requestErasure({
        deletionId,
        destinationId: destination,
        keys: keys.map((key: ErasureKey) => ({ key, hashed: hashErasureKey(key) })),
        nowMs: options.clock.now(),
      });
      return deletionId;
    },
    async report(deletionId) {
      const records = await options.erasures.erasureRecords(deletionId);
      return records.length === 0 ? undefined : deletionReport(records);
    },
  };
}
