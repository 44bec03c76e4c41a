import pg from 'pg';
import type { AttachmentKey, CompanyKey, ContactKey, IdCache } from '../../../intercom/id-cache.js';
import type { SegmentEvent } from '../../../segment/event.js';
import type { EnqueueResult, IncomingEvent } from '../enqueue.js';
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
import { laneKeyOf } from '../lane-key.js';
import { DEAD_LETTER_COLUMNS, deadLetterValues } from '../dead-letter-row.js';
import { PostgresIdCache } from './id-cache.js';
import { migratePostgres } from './schema.js';
import type { PgDeadLetterRow, PgJobRow, PgPauseRow } from './rows.js';
import { fromPgDeadLetter, fromPgJob, fromPgPause } from './rows.js';
import { toClaimedJob, toDeadLetter, toPause } from '../rows.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Pool size of this process (default 10). */
  readonly maxConnections?: number;
  /**
   * Told when an idle pooled connection fails (the server restarted, the network dropped it). The pool
   * discards that connection and the next query opens a new one; without a listener, Node would take
   * the pool's `error` event for an uncaught error and stop the process.
   */
  readonly onConnectionError?: (error: Error) => void;
}

/** Connects, migrates and returns the PostgreSQL job store (many worker processes on many machines). */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresJobStore> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  pool.on('error', options.onConnectionError ?? (() => undefined));
  try {
    await migratePostgres(pool);
  } catch (error: unknown) {
    await pool.end();
    throw new StoreWriteError('migrate', { cause: error });
  }
  return new PostgresJobStore(pool);
}

// The SQLite claim (sqlite-lanes.ts) with row locks: concurrent claims skip each other's rows, and a
// lane never has more than one claimable job, so no two workers ever hold jobs of one lane.
const CLAIM_SQL = `
  WITH picked AS (
    SELECT j.seq FROM jobs AS j
    WHERE (j.is_head OR j.status = 'parked')
      AND j.run_at_ms <= $1
      AND ($5::text[] IS NULL OR j.destination_id = ANY($5::text[]))
      AND (j.locked_until_ms IS NULL OR j.locked_until_ms <= $1)
      AND NOT EXISTS (
        SELECT 1 FROM jobs AS e
        WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
          AND e.locked_until_ms > $1)
      AND (j.status = 'pending' OR NOT EXISTS (
        SELECT 1 FROM jobs AS e
        WHERE e.destination_id = j.destination_id AND e.lane_key = j.lane_key AND e.seq <> j.seq
          AND (e.status = 'pending' OR e.seq < j.seq)))
      AND NOT EXISTS (
        SELECT 1 FROM destination_pauses AS p
        WHERE p.destination_id = j.destination_id AND (p.until_ms IS NULL OR p.until_ms > $1))
    ORDER BY j.seq
    LIMIT $2
    FOR UPDATE OF j SKIP LOCKED)
  UPDATE jobs SET locked_by = $3, locked_until_ms = $4 FROM picked WHERE jobs.seq = picked.seq
  RETURNING jobs.*`;

const INSERT_JOB_SQL = `
  INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
  VALUES ($1, $2, $3, $4, $5, $6, $7,
    NOT EXISTS (SELECT 1 FROM jobs WHERE destination_id = $3 AND lane_key = $4 AND status = 'pending'))`;

const INSERT_RECEIPTS_SQL = `
  INSERT INTO receipts (source_id, message_id, destination_id, received_at_ms)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
  ON CONFLICT DO NOTHING
  RETURNING source_id, message_id, destination_id`;

// Rows are inserted in the order given (seq follows it), none yet a lane head: rows of one statement do
// not see each other, so INSERT_JOB_SQL's per-row head test would mark every new job of an empty lane.
const INSERT_JOBS_SQL = `
  INSERT INTO jobs (source_id, message_id, destination_id, lane_key, event_json, received_at, history_json, is_head)
  SELECT s, m, d, l, e, r, '[]', FALSE
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(s, m, d, l, e, r, n)
  ORDER BY n`;

// The head of each lane written to: its lowest-seq pending job, found by one index probe per lane
// (jobs_lane), and marked unless it already was (the lane had a pending job before).
const MARK_HEADS_SQL = `
  UPDATE jobs SET is_head = TRUE
  WHERE seq IN (
    SELECT head.seq
    FROM (SELECT DISTINCT d, l FROM unnest($1::text[], $2::text[]) AS t(d, l)) AS lanes
    CROSS JOIN LATERAL (
      SELECT j.seq, j.is_head FROM jobs AS j
      WHERE j.destination_id = lanes.d AND j.lane_key = lanes.l AND j.status = 'pending'
      ORDER BY j.seq LIMIT 1) AS head
    WHERE NOT head.is_head)`;

type Client = pg.PoolClient;

/** The PostgreSQL job store (the same semantics as `SqliteJobStore`, for many worker processes) and id cache. */
export class PostgresJobStore implements JobStore, IdCache {
  readonly #pool: pg.Pool;
  readonly #ids: PostgresIdCache;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.#ids = new PostgresIdCache(pool);
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
    const rows = events.map((incoming) => ({ ...incoming, laneKey: laneKeyOf(incoming.event) }));
    return this.#tx('enqueue', async (client) => {
      // Lanes are locked up front in one global order, so concurrent batches cannot deadlock.
      await lockLanes(
        client,
        rows.map((row) => [row.destinationId, row.laneKey] as const),
      );
      // A whole group in a handful of statements, not two round trips per event: the receipts that
      // were new come back, and only their events become jobs, in the order they arrived.
      const receipts = await client.query<{ source_id: string; message_id: string; destination_id: string }>(
        INSERT_RECEIPTS_SQL,
        [
          rows.map((row) => row.sourceId),
          rows.map((row) => row.event.messageId),
          rows.map((row) => row.destinationId),
          rows.map((row) => {
            const ms = Date.parse(row.receivedAt);
            return Number.isNaN(ms) ? 0 : ms;
          }),
        ],
      );
      const fresh = new Set(
        receipts.rows.map((r) => JSON.stringify([r.source_id, r.message_id, r.destination_id])),
      );
      // A messageId twice in one group: its first event is the one stored.
      const jobs = rows.filter((row) =>
        fresh.delete(JSON.stringify([row.sourceId, row.event.messageId, row.destinationId])),
      );
      if (jobs.length > 0) {
        await client.query(INSERT_JOBS_SQL, [
          jobs.map((row) => row.sourceId),
          jobs.map((row) => row.event.messageId),
          jobs.map((row) => row.destinationId),
          jobs.map((row) => row.laneKey),
          jobs.map((row) => JSON.stringify(row.event)),
          jobs.map((row) => row.receivedAt),
        ]);
        await client.query(MARK_HEADS_SQL, [
          jobs.map((row) => row.destinationId),
          jobs.map((row) => row.laneKey),
        ]);
      }
      return { stored: jobs.length, duplicates: events.length - jobs.length };
    });
  }

  claim(request: ClaimRequest): Promise<readonly ClaimedJob[]> {
    const limit = Math.max(0, Math.floor(request.limit));
    return this.#relaxedTx('claim', async (client) => {
      const result = await client.query<PgJobRow>(CLAIM_SQL, [
        request.now,
        limit,
        request.workerId,
        request.now + request.leaseMs,
        request.destinationIds ?? null,
      ]);
      return result.rows.map((row) => toClaimedJob(fromPgJob(row))).sort((a, b) => a.seq - b.seq);
    });
  }

  claimFollowers(
    head: ClaimedJob,
    limit: number,
    accepts: (event: SegmentEvent) => boolean,
    nowMs: number,
  ): Promise<readonly ClaimedJob[]> {
    return this.#relaxedTx('claim followers', async (client) => {
      const result = await client.query<PgJobRow>(
        `SELECT * FROM jobs WHERE destination_id = $1 AND lane_key = $2 AND status = 'pending' AND seq > $3
         ORDER BY seq LIMIT $4 FOR UPDATE`,
        [head.destinationId, head.laneKey, head.seq, Math.max(0, Math.floor(limit))],
      );
      const taken: ClaimedJob[] = [];
      for (const row of result.rows) {
        const job = toClaimedJob(
          fromPgJob({ ...row, locked_by: head.lockedBy, locked_until_ms: head.lockedUntilMs }),
        );
        if (!accepts(job.event)) break;
        const locked = await client.query(
          `UPDATE jobs SET locked_by = $1, locked_until_ms = $2
           WHERE seq = $3 AND (locked_until_ms IS NULL OR locked_until_ms <= $4)`,
          [head.lockedBy, head.lockedUntilMs, job.seq, nowMs],
        );
        if ((locked.rowCount ?? 0) === 0) break;
        taken.push(job);
      }
      return taken;
    });
  }

  noteEventNames(
    destinationId: string,
    names: readonly string[],
    nowMs: number,
  ): Promise<{ readonly count: number; readonly added: readonly string[] }> {
    return this.#relaxedTx('note event names', async (client) => {
      const inserted = await client.query<{ name: string }>(
        `INSERT INTO event_names (destination_id, name, first_seen_ms)
         SELECT $1, name, $3 FROM unnest($2::text[]) AS name
         ON CONFLICT DO NOTHING RETURNING name`,
        [destinationId, [...names], nowMs],
      );
      const counted = await client.query<{ n: string }>(
        'SELECT COUNT(*) AS n FROM event_names WHERE destination_id = $1',
        [destinationId],
      );
      return { count: Number(counted.rows[0]?.n ?? 0), added: inserted.rows.map((r) => r.name) };
    });
  }

  eventNameCounts(): Promise<readonly EventNameCount[]> {
    return this.#tx('event name counts', async (client) => {
      const result = await client.query<{ destination_id: string; n: string }>(
        'SELECT destination_id, COUNT(*) AS n FROM event_names GROUP BY destination_id ORDER BY destination_id',
      );
      return result.rows.map((r) => ({ destinationId: r.destination_id, count: Number(r.n) }));
    });
  }

  renewLeases(workerId: string, seqs: readonly number[], untilMs: number): Promise<number> {
    return this.#relaxedTx('renew leases', async (client) => {
      const result = await client.query(
        'UPDATE jobs SET locked_until_ms = $1 WHERE seq = ANY($2::bigint[]) AND locked_by = $3',
        [untilMs, seqs, workerId],
      );
      return result.rowCount ?? 0;
    });
  }

  complete(job: ClaimedJob, record: AttemptRecord): Promise<void> {
    return this.#relaxedTx('complete', async (client) => {
      await lockLanes(client, [[job.destinationId, job.laneKey]]);
      await client.query('DELETE FROM jobs WHERE seq = $1', [job.seq]);
      // C-RACE-2: un-park the lane's tracks with their original seq (see sqlite-lanes.ts unparkLane).
      await client.query(
        `UPDATE jobs SET status = 'pending', run_at_ms = 0 WHERE destination_id = $1 AND lane_key = $2 AND status = 'parked'`,
        [job.destinationId, job.laneKey],
      );
      await refreshHead(client, job.destinationId, job.laneKey);
      await count(
        client,
        job.destinationId,
        record.skipReason === undefined ? 'delivered' : `skipped:${record.skipReason}`,
      );
    });
  }

  reschedule(
    job: ClaimedJob,
    runAtMs: number,
    record: AttemptRecord,
    options: { readonly countsAsAttempt: boolean },
  ): Promise<boolean> {
    return this.#unlock('reschedule', job, job.status, runAtMs, record, options.countsAsAttempt);
  }

  park(job: ClaimedJob, runAtMs: number, record: AttemptRecord): Promise<boolean> {
    return this.#unlock('park', job, 'parked', runAtMs, record, record.counted);
  }

  kill(job: ClaimedJob, death: Death, record: AttemptRecord, nowMs: number): Promise<boolean> {
    return this.#tx('kill', async (client) => {
      await lockLanes(client, [[job.destinationId, job.laneKey]]);
      const gone = await client.query('DELETE FROM jobs WHERE seq = $1 AND locked_by = $2', [
        job.seq,
        job.lockedBy,
      ]);
      if (gone.rowCount !== 1) return false;
      await client.query(
        `INSERT INTO dead_letters (${DEAD_LETTER_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        deadLetterValues(job, death, [...job.history, record], nowMs),
      );
      await refreshHead(client, job.destinationId, job.laneKey);
      await count(client, job.destinationId, `dead:${death.reason}`);
      return true;
    });
  }

  release(job: ClaimedJob): Promise<boolean> {
    return this.#relaxedTx('release', async (client) => {
      const result = await client.query(
        'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE seq = $1 AND locked_by = $2',
        [job.seq, job.lockedBy],
      );
      return result.rowCount === 1;
    });
  }

  releaseWorker(workerId: string): Promise<number> {
    return this.#relaxedTx('release worker', async (client) => {
      const result = await client.query(
        'UPDATE jobs SET locked_by = NULL, locked_until_ms = NULL WHERE locked_by = $1',
        [workerId],
      );
      return result.rowCount ?? 0;
    });
  }

  listDeadLetters(query: DeadLetterQuery): Promise<readonly DeadLetter[]> {
    return this.#tx('list dead letters', async (client) => {
      const result = await client.query<PgDeadLetterRow>(
        `SELECT * FROM dead_letters WHERE ($1::text IS NULL OR destination_id = $1)
           AND ($4::text IS NULL OR reason = $4) AND id > $2 ORDER BY id LIMIT $3`,
        [query.destinationId ?? null, query.afterId ?? 0, query.limit, query.reason ?? null],
      );
      return result.rows.map((row) => toDeadLetter(fromPgDeadLetter(row)));
    });
  }

  redriveDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#tx('redrive', async (client) => {
      const rows = await selectDeadLetters(client, selector, 'FOR UPDATE');
      await lockLanes(
        client,
        rows.map((row) => [row.destination_id, row.lane_key] as const),
      );
      for (const row of rows) {
        // A fresh seq puts the event at the tail of its lane; attempts restart, the history is kept.
        const values = [
          row.source_id,
          row.message_id,
          row.destination_id,
          row.lane_key,
          row.event_json,
          row.received_at,
          row.history_json,
        ];
        await client.query(INSERT_JOB_SQL, values);
        await client.query('DELETE FROM dead_letters WHERE id = $1', [row.id]);
      }
      return rows.length;
    });
  }

  purgeDeadLetters(selector: DeadLetterSelector): Promise<number> {
    return this.#tx('purge', async (client) => {
      const rows = await selectDeadLetters(client, selector, 'FOR UPDATE');
      await client.query('DELETE FROM dead_letters WHERE id = ANY($1::bigint[])', [
        rows.map((row) => row.id),
      ]);
      return rows.length;
    });
  }

  pauseDestination(
    destinationId: string,
    untilMs: number | undefined,
    reason: string,
    nowMs: number,
  ): Promise<void> {
    return this.#tx('pause', async (client) => {
      // Same merge rule as the SQLite store: a timed pause never shortens a pause nor lifts an open-ended one.
      await client.query(
        `INSERT INTO destination_pauses AS p (destination_id, reason, until_ms, since_ms) VALUES ($1, $2, $3, $4)
         ON CONFLICT (destination_id) DO UPDATE SET
           reason = CASE WHEN p.until_ms IS NULL AND excluded.until_ms IS NOT NULL THEN p.reason ELSE excluded.reason END,
           until_ms = CASE WHEN p.until_ms IS NULL OR excluded.until_ms IS NULL THEN NULL
                           ELSE GREATEST(p.until_ms, excluded.until_ms) END,
           since_ms = CASE WHEN p.until_ms IS NULL OR p.until_ms > $4 THEN p.since_ms ELSE excluded.since_ms END`,
        [destinationId, reason, untilMs ?? null, nowMs],
      );
    });
  }

  resumeDestination(destinationId: string): Promise<void> {
    return this.#tx('resume', async (client) => {
      await client.query('DELETE FROM destination_pauses WHERE destination_id = $1', [destinationId]);
    });
  }

  pausedDestinations(nowMs: number): Promise<readonly DestinationPause[]> {
    return this.#tx('read pauses', async (client) => {
      const result = await client.query<PgPauseRow>(
        'SELECT * FROM destination_pauses WHERE until_ms IS NULL OR until_ms > $1 ORDER BY destination_id',
        [nowMs],
      );
      return result.rows.map((row) => toPause(fromPgPause(row)));
    });
  }

  queueDepth(nowMs: number): Promise<readonly QueueDepth[]> {
    return this.#tx('queue depth', async (client) => {
      const result = await client.query<{
        destination_id: string;
        pending: string;
        parked: string;
        in_flight: string;
        dead: string;
        oldest: string | null;
      }>(
        `SELECT d.destination_id,
           COUNT(j.seq) FILTER (WHERE j.status = 'pending') AS pending,
           COUNT(j.seq) FILTER (WHERE j.status = 'parked') AS parked,
           COUNT(j.seq) FILTER (WHERE j.locked_until_ms > $1) AS in_flight,
           (SELECT COUNT(*) FROM dead_letters x WHERE x.destination_id = d.destination_id) AS dead,
           MIN(j.received_at) AS oldest
         FROM (SELECT destination_id FROM jobs UNION SELECT destination_id FROM dead_letters) AS d
         LEFT JOIN jobs AS j ON j.destination_id = d.destination_id
         GROUP BY d.destination_id ORDER BY d.destination_id`,
        [nowMs],
      );
      return result.rows.map((row) => ({
        destinationId: row.destination_id,
        pending: Number(row.pending),
        parked: Number(row.parked),
        inFlight: Number(row.in_flight),
        deadLetters: Number(row.dead),
        ...(row.oldest === null ? {} : { oldestReceivedAt: row.oldest }),
      }));
    });
  }

  deliveryCounts(): Promise<readonly DeliveryCount[]> {
    return this.#tx('read counts', async (client) => {
      const result = await client.query<{ destination_id: string; result: string; count: string }>(
        'SELECT * FROM delivery_counts ORDER BY destination_id, result',
      );
      return result.rows.map((row) => ({
        destinationId: row.destination_id,
        result: row.result,
        count: Number(row.count),
      }));
    });
  }

  pruneReceipts(beforeMs: number): Promise<number> {
    return this.#tx('prune receipts', async (client) => {
      const result = await client.query('DELETE FROM receipts WHERE received_at_ms < $1', [beforeMs]);
      return result.rowCount ?? 0;
    });
  }

  close(): Promise<void> {
    return this.#pool.end();
  }

  /** Runs `work` in one transaction on one pooled connection; failures become a typed `StoreWriteError`. */
  /**
   * `#tx` for the worker's bookkeeping (claims, leases, completions, releases), committed without
   * waiting for the WAL flush (`synchronous_commit = off`), as the SQLite store commits it without
   * fsync: a server crash can at worst undo the last fraction of a second of them, and the job is
   * then claimed and delivered again (at-least-once), never lost. Enqueues and dead letters wait for
   * the flush: I-5's 200 means durably stored.
   */
  #relaxedTx<T>(operation: string, work: (client: Client) => Promise<T>): Promise<T> {
    return this.#tx(operation, work, 'BEGIN; SET LOCAL synchronous_commit TO OFF');
  }

  async #tx<T>(operation: string, work: (client: Client) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    let client: Client;
    try {
      client = await this.#pool.connect();
    } catch (error: unknown) {
      throw new StoreWriteError(operation, { cause: error });
    }
    // A checked-out connection the server drops between two queries (a restart sends every backend a
    // FATAL) reports it as an `error` event, which would stop the process without a listener; the
    // query that follows fails, and so does this transaction (503, retried).
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    let failed = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error: unknown) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw new StoreWriteError(operation, { cause: broken ?? error });
    } finally {
      client.off('error', onError);
      // After a failure the connection may be dead: the pool closes it rather than hand it out again.
      client.release(broken ?? failed);
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
    return this.#relaxedTx(operation, async (client) => {
      await lockLanes(client, [[job.destinationId, job.laneKey]]);
      const result = await client.query(
        `UPDATE jobs SET status = $1, run_at_ms = $2, locked_by = NULL, locked_until_ms = NULL,
           attempts = attempts + $3,
           first_attempt_at_ms = COALESCE(first_attempt_at_ms, CASE WHEN $3 = 1 THEN $4::bigint END),
           last_error = COALESCE($5, last_error), history_json = $6
         WHERE seq = $7 AND locked_by = $8`,
        [
          status,
          runAtMs,
          counted ? 1 : 0,
          record.atMs,
          record.failure === undefined ? null : JSON.stringify(record.failure),
          JSON.stringify([...job.history, record].slice(-200)),
          job.seq,
          job.lockedBy,
        ],
      );
      const changed = result.rowCount === 1;
      if (changed && status !== job.status) await refreshHead(client, job.destinationId, job.laneKey);
      return changed;
    });
  }
}

/** Serialises writers of the same lanes for the rest of the transaction, in one global order. */
async function lockLanes(client: Client, lanes: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const unique = [...new Map(lanes.map(([d, l]) => [JSON.stringify([d, l]), [d, l] as const])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, lane]) => lane);
  if (unique.length === 0) return;
  // One statement for all of them: output expressions are evaluated after ORDER BY (PostgreSQL 9.6+),
  // so the locks are taken in the sorted order.
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtext(d), hashtext(l))
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(d, l, n) ORDER BY n`,
    [unique.map(([d]) => d), unique.map(([, l]) => l)],
  );
}

/** Moves a lane's head flag to its lowest-seq pending job (the lane is locked by the caller). */
async function refreshHead(client: Client, destinationId: string, laneKey: string): Promise<void> {
  await client.query(
    'UPDATE jobs SET is_head = FALSE WHERE destination_id = $1 AND lane_key = $2 AND is_head',
    [destinationId, laneKey],
  );
  await client.query(
    `UPDATE jobs SET is_head = TRUE WHERE seq = (
       SELECT seq FROM jobs WHERE destination_id = $1 AND lane_key = $2 AND status = 'pending' ORDER BY seq LIMIT 1)`,
    [destinationId, laneKey],
  );
}

async function count(client: Client, destinationId: string, result: string): Promise<void> {
  await client.query(
    `INSERT INTO delivery_counts (destination_id, result, count) VALUES ($1, $2, 1)
     ON CONFLICT (destination_id, result) DO UPDATE SET count = delivery_counts.count + 1`,
    [destinationId, result],
  );
}

async function selectDeadLetters(
  client: Client,
  selector: DeadLetterSelector,
  lock: 'FOR UPDATE',
): Promise<ReturnType<typeof fromPgDeadLetter>[]> {
  const result = await client.query<PgDeadLetterRow>(
    `SELECT * FROM dead_letters
     WHERE ($1::text IS NULL OR destination_id = $1) AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
       AND ($3::text IS NULL OR reason = $3)
     ORDER BY id ${lock}`,
    [selector.destinationId ?? null, selector.ids ?? null, selector.reason ?? null],
  );
  return result.rows.map(fromPgDeadLetter);
}
