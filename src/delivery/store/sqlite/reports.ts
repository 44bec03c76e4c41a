import type Database from 'better-sqlite3';
import type { DeliveryCount, QueueDepth } from '../job-store.js';

/** Counts one finished job (`delivered`, `skipped:<reason>`, `dead:<reason>`). */
export function countResult(db: Database.Database, destinationId: string, result: string): void {
  db.prepare(
    `INSERT INTO delivery_counts (destination_id, result, count) VALUES (?, ?, 1)
     ON CONFLICT (destination_id, result) DO UPDATE SET count = count + 1`,
  ).run(destinationId, result);
}

/** Outcome counts per destination. */
export function readDeliveryCounts(db: Database.Database): readonly DeliveryCount[] {
  return db
    .prepare<[], { destination_id: string; result: string; count: number }>(
      'SELECT * FROM delivery_counts ORDER BY destination_id, result',
    )
    .all()
    .map((row) => ({ destinationId: row.destination_id, result: row.result, count: row.count }));
}

interface JobsRow {
  readonly destination_id: string;
  readonly pending: number;
  readonly parked: number;
  readonly in_flight: number;
  readonly oldest: string;
}

/** Queue depth per destination in one scan of the jobs and one of the dead letters. */
export function readQueueDepth(db: Database.Database, nowMs: number): readonly QueueDepth[] {
  const jobs = db
    .prepare<[{ now: number }], JobsRow>(
      `SELECT destination_id,
         SUM(status = 'pending') AS pending,
         SUM(status = 'parked') AS parked,
         SUM(COALESCE(locked_until_ms > @now, 0)) AS in_flight,
         MIN(received_at) AS oldest
       FROM jobs GROUP BY destination_id`,
    )
    .all({ now: nowMs });
  const dead = db
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
  return [...depths.values()].sort((a, b) => a.destinationId.localeCompare(b.destinationId));
}
