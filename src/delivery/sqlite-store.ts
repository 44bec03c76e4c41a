import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../intercom/id-cache.js';
import type { EnqueueResult, IncomingEvent } from './enqueue.js';
import { StoreWriteError } from './errors.js';
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
  JobStore,
  QueueDepth,
} from './job-store.js';
import { laneKeyOf } from './lane-key.js';
import { SqliteIdCache } from './sqlite-id-cache.js';
import { migrate } from './sqlite-schema.js';
import type { DeadLetterRow, JobRow, PauseRow } from './sqlite-rows.js';
import { toClaimedJob, toDeadLetter, toPause } from './sqlite-rows.js';

/** Where `openSqliteStore` puts its file inside the data directory. */
export function sqliteStorePath(dataDir: string): string {
  return path.join(dataDir, 'delivery.sqlite');
}

/** Options of the embedded store. */
export interface SqliteStoreOptions {
  /** Database file (its directory is created), or `:memory:` for a throwaway store. */
  readonly path: string;
}

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
  migrate(db);
  return new SqliteJobStore(db);
}

/** Attempt histories keep their most recent entries only, so a job's row stays small. */
const MAX_HISTORY = 200;

// C-RACE-1/C-RACE-2 head-of-lane rule, shared in spirit with the PostgreSQL store. Candidates are lane
// heads (the lowest-seq pending job) and parked jobs. A candidate is claimable when no other job of its
// lane is leased and, for a parked job, nothing else in the lane is pending or earlier (a parked track
// runs on its own timer only when its lane is idle). So at most one job per lane is ever claimable.
const CLAIM_SQL = `
  SELECT j.* FROM jobs AS j
  WHERE (j.is_head = 1 OR j.status = 'parked')
    AND j.run_at_ms <= @now
    AND (j.locked_until_ms IS NULL OR j.locked_until_ms <= @now)
    AND NOT EXISTS (
      SELECT 1 FROM jobs AS e
      WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
        AND e.locked_until_ms > @now)
    AND (j.status = 'pending' OR NOT EXISTS (
      SELECT 1 FROM jobs AS e
      WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
        AND (e.status = 'pending' OR e.seq < j.seq)))
    AND NOT EXISTS (
      SELECT 1 FROM destination_pauses AS p
      WHERE p.destination_id = j.destination_id AND (p.until_ms IS NULL OR p.until_ms > @now))
  ORDER BY j.seq
  LIMIT @limit`;

// A new job heads its lane when the lane has no pending job yet (batches insert in order, one transaction).
// The PostgreSQL store must serialise this with the lane's other writers (an advisory lock per lane).
const INSERT_JOB_SQL = `
  INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
  VALUES (@source, @message, @destination, @lane, @event, @receivedAt, @history,
    NOT EXISTS (SELECT 1 FROM jobs WHERE destination_id = @destination AND lane_key = @lane AND status = 'pending'))`;

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
    const receipt = this.#db.prepare(
      `INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    );
    const job = this.#db.prepare(INSERT_JOB_SQL);
    return this.#write('enqueue', () => {
      let stored = 0;
      for (const incoming of events) {
        const { sourceId, destinationId, event, receivedAt } = incoming;
        const receivedAtMs = Date.parse(receivedAt);
        const fresh = receipt.run(
          sourceId,
          event.messageId,
          destinationId,
          Number.isNaN(receivedAtMs) ? 0 : receivedAtMs,
        );
        if (fresh.changes === 0) continue;
        job.run({
          source: sourceId,
          message: event.messageId,
          destination: destinationId,
          lane: laneKeyOf(event),
          event: JSON.stringify(event),
          receivedAt,
          history: '[]',
        });
        stored += 1;
      }
      return { stored, duplicates: events.length - stored };
    });
  }

  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]> {
    const select = this.#db.prepare<[{ now: number; limit: number }], JobRow>(CLAIM_SQL);
    const lock = this.#db.prepare('UPDATE jobs SET locked_by = ?, locked_until_ms = ? WHERE seq = ?');
    const lockedUntilMs = request.now + request.leaseMs;
    return this.#write(
      'claim',
      () =>
        select.all({ now: request.now, limit: Math.max(0, Math.floor(request.limit)) }).map((row) => {
          lock.run(request.workerId, lockedUntilMs, row.seq);
          return toClaimedJob({ ...row, locked_by: request.workerId, locked_until_ms: lockedUntilMs });
        }),
      'relaxed',
    );
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
        // C-RACE-2: the lane moved on (typically the identify created the user), so its parked tracks
        // become pending again with their original seq: the head of the lane, before later jobs.
        this.#db
          .prepare(
            `UPDATE jobs SET status = 'pending', run_at_ms = 0
           WHERE destination_id = ? AND lane_key = ? AND status = 'parked'`,
          )
          .run(job.destinationId, job.laneKey);
        this.#refreshHead(job.destinationId, job.laneKey);
        const result = record.skipReason === undefined ? 'delivered' : `skipped:${record.skipReason}`;
        this.#count(job.destinationId, result);
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
      this.#db
        .prepare(
          `INSERT INTO dead_letters (seq, source_id, message_id, destination_id, lane_key, event_json, received_at,
             reason, status, code, message, plan_json, history_json, died_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          job.seq,
          job.sourceId,
          job.messageId,
          job.destinationId,
          job.laneKey,
          JSON.stringify(job.event),
          job.receivedAt,
          death.reason,
          death.status ?? null,
          death.code ?? null,
          death.message ?? null,
          death.plan === undefined ? null : JSON.stringify(death.plan),
          JSON.stringify([...job.history, record]),
          nowMs,
        );
      this.#refreshHead(job.destinationId, job.laneKey);
      this.#count(job.destinationId, `dead:${death.reason}`);
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
    const rows = this.#db
      .prepare<[{ destination: string | null; after: number; limit: number }], DeadLetterRow>(
        `SELECT * FROM dead_letters WHERE (@destination IS NULL OR destination_id = @destination) AND id > @after
         ORDER BY id LIMIT @limit`,
      )
      .all({ destination: query.destinationId ?? null, after: query.afterId ?? 0, limit: query.limit });
    return Promise.resolve(rows.map(toDeadLetter));
  }

  redriveDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#write('redrive', () => {
      const rows = this.#selectDeadLetters(selector);
      const insert = this.#db.prepare(INSERT_JOB_SQL);
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
      const rows = this.#selectDeadLetters(selector);
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
    type JobsRow = {
      destination_id: string;
      pending: number;
      parked: number;
      in_flight: number;
      oldest: string;
    };
    const jobs = this.#db
      .prepare<[{ now: number }], JobsRow>(
        `SELECT destination_id,
           SUM(status = 'pending') AS pending,
           SUM(status = 'parked') AS parked,
           SUM(COALESCE(locked_until_ms > @now, 0)) AS in_flight,
           MIN(received_at) AS oldest
         FROM jobs GROUP BY destination_id`,
      )
      .all({ now: nowMs });
    const dead = this.#db
      .prepare<[], { destination_id: string; dead: number }>(
        'SELECT destination_id, COUNT(*) AS dead FROM dead_letters GROUP BY destination_id',
      )
      .all();
    const depths = new Map<string, QueueDepth>();
    for (const row of jobs) {
      depths.set(row.destination_id, {
        destinationId: row.destination_id,
        pending: row.pending,
        parked: row.parked,
        inFlight: row.in_flight,
        deadLetters: 0,
        oldestReceivedAt: row.oldest,
      });
    }
    for (const row of dead) {
      const known = depths.get(row.destination_id);
      depths.set(row.destination_id, {
        ...(known ?? { destinationId: row.destination_id, pending: 0, parked: 0, inFlight: 0 }),
        deadLetters: row.dead,
      });
    }
    return Promise.resolve(
      [...depths.values()].sort((a, b) => a.destinationId.localeCompare(b.destinationId)),
    );
  }

  deliveryCounts(): Promise<readonly DeliveryCount[]> {
    const rows = this.#db
      .prepare<[], { destination_id: string; result: string; count: number }>(
        'SELECT * FROM delivery_counts ORDER BY destination_id, result',
      )
      .all();
    return Promise.resolve(
      rows.map((row) => ({ destinationId: row.destination_id, result: row.result, count: row.count })),
    );
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
        if (result.changes > 0 && status !== job.status) this.#refreshHead(job.destinationId, job.laneKey);
        return result.changes > 0;
      },
      'relaxed',
    );
  }

  /** Moves a lane's head flag to its lowest-seq pending job (after a job left, parked or un-parked). */
  #refreshHead(destinationId: string, laneKey: string): void {
    this.#db
      .prepare('UPDATE jobs SET is_head = 0 WHERE destination_id = ? AND lane_key = ? AND is_head = 1')
      .run(destinationId, laneKey);
    this.#db
      .prepare(
        `UPDATE jobs SET is_head = 1 WHERE seq = (
           SELECT seq FROM jobs WHERE destination_id = ? AND lane_key = ? AND status = 'pending' ORDER BY seq LIMIT 1)`,
      )
      .run(destinationId, laneKey);
  }

  #selectDeadLetters(selector: DeadLetterSelector): readonly DeadLetterRow[] {
    const rows = this.#db
      .prepare<[{ destination: string | null }], DeadLetterRow>(
        'SELECT * FROM dead_letters WHERE (@destination IS NULL OR destination_id = @destination) ORDER BY id',
      )
      .all({ destination: selector.destinationId ?? null });
    if (selector.ids === undefined) return rows;
    const ids = new Set(selector.ids);
    return rows.filter((row) => ids.has(row.id));
  }

  #count(destinationId: string, result: string): void {
    this.#db
      .prepare(
        `INSERT INTO delivery_counts (destination_id, result, count) VALUES (?, ?, 1)
         ON CONFLICT (destination_id, result) DO UPDATE SET count = count + 1`,
      )
      .run(destinationId, result);
  }
}
