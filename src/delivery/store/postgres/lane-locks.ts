import type pg from 'pg';
import type { LaneRef } from '../job.js';

/**
 * Serialises writers of the same lanes for the rest of the transaction. Every write that changes which
 * job heads a lane (enqueue, complete and un-park, park, kill, redrive) takes its lanes' locks first,
 * so an enqueue and a completion in one lane cannot both miss each other and leave it without a head.
 * Locks are taken in one global order, so concurrent writers cannot deadlock.
 */
export async function lockLanes(client: pg.PoolClient, lanes: readonly LaneRef[]): Promise<void> {
  const unique = [
    ...new Map(lanes.map((lane) => [JSON.stringify([lane.destinationId, lane.laneKey]), lane])).entries(),
  ]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, lane]) => lane);
  if (unique.length === 0) return;
  // One statement for all of them: output expressions are evaluated after ORDER BY (PostgreSQL 9.6+),
  // so the locks are taken in the sorted order.
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtext(d), hashtext(l))
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(d, l, n) ORDER BY n`,
    [unique.map((lane) => lane.destinationId), unique.map((lane) => lane.laneKey)],
  );
}
