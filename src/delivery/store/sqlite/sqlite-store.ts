import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../intercom/id-cache.js';
import type { SegmentEvent } from '../../../segment/event.js';
import type { EnqueueResult, IncomingEvent } from '../enqueue.js';
import { claimAcceptedFollowers } from '../follower-claim.js';
import { type QueuedRow, toQueuedRow } from '../queued-row.js';
import { StoreWriteError } from '../errors.js';
import type {
  AttemptRecord,
  ClaimedJob,
  ClaimRequest,
  Death,
  DeadLetter,
  DeadLetterQuery,
  DeadLetterSelector,
  DeliveryCount,
  DestinationPause,
  EventNameCount,
  JobStore,
  QueueDepth,
} from '../job-store.js';
import { insertDeadLetter, readDeadLetters, selectDeadLetterRows } from './dead-letters.js';
import { SqliteIdCache } from './id-cache.js';
import type { InsertJobParams } from './lanes.js';
import { CLAIM_SQL, INSERT_JOB_SQL, refreshHead, unparkLane } from './lanes.js';
import { countResult, readDeliveryCounts, readQueueDepth } from './reports.js';
import { migrate } from './schema.js';
import type { JobRow, PauseRow } from '../rows.js';
import { toClaimedJob, toPause } from '../rows.js';

/** Where `openSqliteStore` puts its file inside the data directory. */
export function sqliteStorePath(dataDir: string): string {
  return path.join(dataDir, 'delivery.sqlite');
}

/** Options of the embedded store. */
export interface SqliteStoreOptions {
  /** Database file (its directory is created), or `:memory:` for a throwaway store. */
  readonly path: string;
  /**
   * `external`: another connection checkpoints the WAL (`sqlite-checkpoint-thread.ts`), so commits
   * do not copy pages into the database file and fsync it themselves; this connection checkpoints
   * only if the WAL grows past a backstop. Default `auto`: SQLite's own checkpoints every 1,000 pages.
   */
  readonly checkpoints?: 'auto' | 'external';
}

/** WAL pages (4 KB) after which a store with external checkpoints checkpoints anyway: 40 MB. */
export const BACKSTOP_CHECKPOINT_PAGES = 10_000;

/** Opens (and migrates) the embedded SQLite job store. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteJobStore {
  if (options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  // WAL lets readers (health, metrics, the dlq command) run beside the writer. synchronous=FULL
  // fsyncs the WAL on every commit: I-5 promises "200 means durably stored" even across power loss,
  // not only across a crash of this process (which NORMAL would cover). The cost is paid once per
  // batch because enqueue commits a whole batch in one transaction (group commit). The worker's own
  // bookkeeping commits with NORMAL (see #write): a power cut can at worst undo a completion, and the
  // job is then delivered again (at-least-once), never lost.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  if (options.checkpoints === 'external') db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  migrate(db);
  return new SqliteJobStore(db);
}

/** Attempt histories keep their most recent entries only, so a job's row stays small. */
const MAX_HISTORY = 200;

/** The embedded job store (one process, better-sqlite3 in WAL mode), also the durable id cache (C-IDN-3). */
export class SqliteJobStore implements JobStore, IdCache {
  readonly #db: Database.Database;
  readonly #ids: SqliteIdCache;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#ids = new SqliteIdCache(db);
  }

  getContactId(key: ContactKey): Promise<string | undefined> {
    return this.#ids.getContactId(key);
  }
  setContactId(key: ContactKey, contactId: string): Promise<void> {
    return this.#ids.setContactId(key, contactId);
  }
  deleteContactId(key: ContactKey): Promise<void> {
    return this.#ids.deleteContactId(key);
  }
  getCompanyId(key: CompanyKey): Promise<string | undefined> {
    return this.#ids.getCompanyId(key);
  }
  setCompanyId(key: CompanyKey, intercomCompanyId: string): Promise<void> {
    return this.#ids.setCompanyId(key, intercomCompanyId);
  }
  deleteCompanyId(key: CompanyKey): Promise<void> {
    return this.#ids.deleteCompanyId(key);
  }
  getCompanyFieldsHash(key: CompanyKey): Promise<string | undefined> {
    return this.#ids.getCompanyFieldsHash(key);
  }
  setCompanyFieldsHash(key: CompanyKey, hash: string): Promise<void> {
    return this.#ids.setCompanyFieldsHash(key, hash);
  }
  hasAttachment(key: AttachmentKey): Promise<boolean> {
    return this.#ids.hasAttachment(key);
  }
  setAttachment(key: AttachmentKey): Promise<void> {
    return this.#ids.setAttachment(key);
  }
  deleteAttachment(key: AttachmentKey): Promise<void> {
    return this.#ids.deleteAttachment(key);
  }

  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    return this.enqueueRows(events.map(toQueuedRow));
  }

  /** `enqueue` of events already serialised (what the store thread receives). */
  enqueueRows(rows: readonly QueuedRow[]): Promise<EnqueueResult> {
    const receipt = this.#db.prepare(
      `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const job = this.#db.prepare<[InsertJobParams]>(INSERT_JOB_SQL);
    return this.#write('enqueue', () => {
      let stored = 0;
      for (const row of rows) {
        const receivedAtMs = Date.parse(row.receivedAt);
        const fresh = receipt.run(
          row.sourceId,
          row.messageId,
          row.destinationId,
          Number.isNaN(receivedAtMs) ? 0 : receivedAtMs,
        );
        if (fresh.changes === 0) continue;
        job.run({
          source: row.sourceId,
          message: row.messageId,
          destination: row.destinationId,
          lane: row.laneKey,
          event: row.eventJson,
          receivedAt: row.receivedAt,
          history: '[]',
        });
        stored += 1;
      }
      return { stored, duplicates: rows.length - stored };
    });
  }

  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]> {
    const select = this.#db.prepare<[{ now: number; limit: number; destinations: string | null }], JobRow>(
      CLAIM_SQL,
    );
    const lock = this.#db.prepare('UPDATE jobs SET locked_by = ?, locked_until_ms = ? WHERE seq = ?');
    const lockedUntilMs = request.now + request.leaseMs;
    return this.#write(
      'claim',
      () =>
        select
          .all({
            now: request.now,
            limit: Math.max(0, Math.floor(request.limit)),
            destinations:
              request.destinationIds === undefined ? null : JSON.stringify(request.destinationIds),
          })
          .map((row) => {
            lock.run(request.workerId, lockedUntilMs, row.seq);
            return toClaimedJob({ ...row, locked_by: request.workerId, locked_until_ms: lockedUntilMs });
          }),
      'relaxed',
    );
  }

  claimFollowers(
    head: ClaimedJob,
    limit: number,
    accepts: (event: SegmentEvent) => boolean,
    nowMs: number,
  ): Promise<readonly ClaimedJob[]> {
    return claimAcceptedFollowers(this, head, limit, accepts, nowMs);
  }

  /**
   * The first half of `claimFollowers`, split so that the predicate (a function, which cannot cross
   * to the store thread) runs with the caller: the pending jobs right behind a leased head, shown
   * under the head's lease. Nothing else can take them meanwhile: claims hand out lane heads only, and
   * this process's worker holds the head.
   */
  followerCandidates(head: ClaimedJob, limit: number): Promise<readonly ClaimedJob[]> {
    const select = this.#db.prepare<[string, string, number, number], JobRow>(
      `SELECT * FROM jobs WHERE destination_id = ? AND lane_key = ? AND status = 'pending' AND seq > ?
       ORDER BY seq LIMIT ?`,
    );
    // Synchronous like every read here; a throw (an unreadable row) becomes the promise's rejection.
    return new Promise((resolve) => {
      const rows = select.all(head.destinationId, head.laneKey, head.seq, Math.max(0, Math.floor(limit)));
      resolve(
        rows.map((row) =>
          toClaimedJob({ ...row, locked_by: head.lockedBy, locked_until_ms: head.lockedUntilMs }),
        ),
      );
    });
  }

  /** The second half of `claimFollowers`: leases `seqs` in order under the head's lease, stopping at the first it cannot; resolves to how many. */
  leaseFollowers(head: ClaimedJob, seqs: readonly number[], nowMs: number): Promise<number> {
    const lock = this.#db.prepare(
      `UPDATE jobs SET locked_by = ?, locked_until_ms = ?
       WHERE seq = ? AND status = 'pending' AND (locked_until_ms IS NULL OR locked_until_ms <= ?)`,
    );
    return this.#write(
      'claim followers',
      () => {
        let leased = 0;
        for (const seq of seqs) {
          if (lock.run(head.lockedBy, head.lockedUntilMs, seq, nowMs).changes === 0) break;
          leased += 1;
        }
        return leased;
      },
      'relaxed',
    );
  }

  noteEventNames(
    destinationId: string,
    names: readonly string[],
    nowMs: number,
  ): Promise<{ readonly count: number; readonly added: readonly string[] }> {
    const insert = this.#db.prepare(
      'INSERT INTO event_names (destination_id, name, first_seen_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const count = this.#db.prepare<[string], { n: number }>(
      'SELECT COUNT(*) AS n FROM event_names WHERE destination_id = ?',
    );
    return this.#write(
      'note event names',
      () => {
        const added = names.filter((name) => insert.run(destinationId, name, nowMs).changes > 0);
        return { count: count.get(destinationId)?.n ?? 0, added };
      },
      'relaxed',
    );
  }

  eventNameCounts(): Promise<readonly EventNameCount[]> {
    const rows = this.#db
      .prepare<[], { destination_id: string; n: number }>(
        'SELECT destination_id, COUNT(*) AS n FROM event_names GROUP BY destination_id ORDER BY destination_id',
      )
      .all();
    return Promise.resolve(rows.map((r) => ({ destinationId: r.destination_id, count: r.n })));
  }

  renewLeases(workerId: string, seqs: readonly number[], untilMs: number): Promise<number> {
    const renew = this.#db.prepare('UPDATE jobs SET locked_until_ms = ? WHERE seq = ? AND locked_by = ?');
    return this.#write(
      'renew leases',
      () => seqs.reduce((held, seq) => held + renew.run(untilMs, seq, workerId).changes, 0),
      'relaxed',
    );
  }

  complete(job: ClaimedJob, record: AttemptRecord): Promise<void> {
    return this.#write(
      'complete',
      () => {
        // Delivered even if the lease was lost meanwhile: deleting avoids a second delivery.
        this.#db.prepare('DELETE FROM jobs WHERE seq = ?').run(job.seq);
        unparkLane(this.#db, job.destinationId, job.laneKey);
        refreshHead(this.#db, job.destinationId, job.laneKey);
        const result = record.skipReason === undefined ? 'delivered' : `skipped:${record.skipReason}`;
        countResult(this.#db, job.destinationId, result);
      },
      'relaxed',
    );
  }

  reschedule(
    job: ClaimedJob,
    runAtMs: number,
    record: AttemptRecord,
    options: { readonly countsAsAttempt: boolean },
  ): Promise<boolean> {
    // The status stays: a parked track retried on its timer and answered 5xx is still waiting for its user.
    return this.#unlock('reschedule', job, job.status, runAtMs, record, options.countsAsAttempt);
  }

  park(job: ClaimedJob, runAtMs: number, record: AttemptRecord): Promise<boolean> {
    return this.#unlock('park', job, 'parked', runAtMs, record, record.counted);
  }

  kill(job: ClaimedJob, death: Death, record: AttemptRecord, nowMs: number): Promise<boolean> {
    return this.#write('kill', () => {
      const gone = this.#db
        .prepare('DELETE FROM jobs WHERE seq = ? AND locked_by = ?')
        .run(job.seq, job.lockedBy);
      if (gone.changes === 0) return false;
      insertDeadLetter(this.#db, job, death, [...job.history, record], nowMs);
      refreshHead(this.#db, job.destinationId, job.laneKey);
      countResult(this.#db, job.destinationId, `dead:${death.reason}`);
      return true;
    });
  }

  release(job: ClaimedJob): Promise<boolean> {
    const release = this.#db.prepare(
      'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE seq = ? AND locked_by = ?',
    );
    return this.#write('release', () => release.run(job.seq, job.lockedBy).changes > 0, 'relaxed');
  }

  releaseWorker(workerId: string): Promise<number> {
    const release = this.#db.prepare(
      'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE locked_by = ?',
    );
    return this.#write('release worker', () => release.run(workerId).changes, 'relaxed');
  }

  /**
   * Gives back every lease on the file. Only for a process that is the file's sole worker (the embedded
   * store's normal setup) at startup: the jobs a killed predecessor held run again at once instead of
   * after their leases expire. Never call it while another process delivers from the same file.
   */
  releaseAllLeases(): Promise<number> {
    const release = this.#db.prepare(
      'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE locked_until_ms IS NOT NULL',
    );
    return this.#write('release all leases', () => release.run().changes);
  }

  listDeadLetters(query: DeadLetterQuery): Promise<readonly DeadLetter[]> {
    return Promise.resolve(readDeadLetters(this.#db, query));
  }

  redriveDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#write('redrive', () => {
      const rows = selectDeadLetterRows(this.#db, selector);
      const insert = this.#db.prepare<[InsertJobParams]>(INSERT_JOB_SQL);
      const remove = this.#db.prepare('DELETE FROM dead_letters WHERE id = ?');
      for (const row of rows) {
        // A fresh seq puts the event at the tail of its lane; attempts restart, the history is kept.
        insert.run({
          source: row.source_id,
          message: row.message_id,
          destination: row.destination_id,
          lane: row.lane_key,
          event: row.event_json,
          receivedAt: row.received_at,
          history: row.history_json,
        });
        remove.run(row.id);
      }
      return rows.length;
    });
  }

  purgeDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#write('purge', () => {
      const remove = this.#db.prepare('DELETE FROM dead_letters WHERE id = ?');
      const rows = selectDeadLetterRows(this.#db, selector);
      for (const row of rows) remove.run(row.id);
      return rows.length;
    });
  }

  pauseDestination(
    destinationId: string,
    untilMs: number | undefined,
    reason: string,
    nowMs: number,
  ): Promise<void> {
    const upsert = this.#db.prepare(
      `INSERT INTO destination_pauses (destination_id, reason, until_ms, since_ms) VALUES (@id, @reason, @until, @now)
       ON CONFLICT (destination_id) DO UPDATE SET
         reason = CASE WHEN destination_pauses.until_ms IS NULL AND excluded.until_ms IS NOT NULL
                       THEN destination_pauses.reason ELSE excluded.reason END,
         until_ms = CASE WHEN destination_pauses.until_ms IS NULL OR excluded.until_ms IS NULL THEN NULL
                         ELSE MAX(destination_pauses.until_ms, excluded.until_ms) END,
         since_ms = CASE WHEN destination_pauses.until_ms IS NULL OR destination_pauses.until_ms > @now
                         THEN destination_pauses.since_ms ELSE excluded.since_ms END`,
    );
    return this.#write('pause', () => {
      upsert.run({ id: destinationId, reason, until: untilMs ?? null, now: nowMs });
    });
  }

  resumeDestination(destinationId: string): Promise<void> {
    const remove = this.#db.prepare('DELETE FROM destination_pauses WHERE destination_id = ?');
    return this.#write('resume', () => {
      remove.run(destinationId);
    });
  }

  pausedDestinations(nowMs: number): Promise<readonly DestinationPause[]> {
    const rows = this.#db
      .prepare<[number], PauseRow>(
        'SELECT * FROM destination_pauses WHERE until_ms IS NULL OR until_ms > ? ORDER BY destination_id',
      )
      .all(nowMs);
    return Promise.resolve(rows.map(toPause));
  }

  queueDepth(nowMs: number): Promise<readonly QueueDepth[]> {
    return Promise.resolve(readQueueDepth(this.#db, nowMs));
  }

  deliveryCounts(): Promise<readonly DeliveryCount[]> {
    return Promise.resolve(readDeliveryCounts(this.#db));
  }

  pruneReceipts(beforeMs: number): Promise<number> {
    const prune = this.#db.prepare('DELETE FROM receipts WHERE received_at_ms < ?');
    return this.#write('prune receipts', () => prune.run(beforeMs).changes);
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }

  /** Runs `work` in one IMMEDIATE transaction; failures become a typed `StoreWriteError`. */
  #write<T>(operation: string, work: () => T, durability: 'durable' | 'relaxed' = 'durable'): Promise<T> {
    // Relaxed commits skip the fsync; the next durable commit syncs the WAL, theirs included.
    if (durability === 'relaxed') this.#db.pragma('synchronous = NORMAL');
    try {
      return Promise.resolve(this.#db.transaction(work).immediate());
    } catch (error: unknown) {
      return Promise.reject(new StoreWriteError(operation, { cause: error }));
    } finally {
      if (durability === 'relaxed') this.#db.pragma('synchronous = FULL');
    }
  }

  #unlock(
    operation: string,
    job: ClaimedJob,
    status: 'pending' | 'parked',
    runAtMs: number,
    record: AttemptRecord,
    counted: boolean,
  ): Promise<boolean> {
    const update = this.#db.prepare(
      `UPDATE jobs SET status = @status, run_at_ms = @runAt, locked_by = NULL, locked_until_ms = NULL,
         attempts = attempts + @counted,
         first_attempt_at_ms = COALESCE(first_attempt_at_ms, CASE WHEN @counted = 1 THEN @at END),
         last_error = COALESCE(@error, last_error), history_json = @history
       WHERE seq = @seq AND locked_by = @worker`,
    );
    return this.#write(
      operation,
      () => {
        const result = update.run({
          status,
          runAt: runAtMs,
          counted: counted ? 1 : 0,
          at: record.atMs,
          error: record.failure === undefined ? null : JSON.stringify(record.failure),
          history: JSON.stringify([...job.history, record].slice(-MAX_HISTORY)),
          seq: job.seq,
          worker: job.lockedBy,
        });
        if (result.changes > 0 && status !== job.status)
          refreshHead(this.#db, job.destinationId, job.laneKey);
        return result.changes > 0;
      },
      'relaxed',
    );
  }
}
