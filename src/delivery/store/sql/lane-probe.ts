import type { LaneClaims } from '../lane-claims.js';
import type { SqlContext } from './sql-context.js';
import { rowsOf } from './sql-runner.js';

/** C-IDN-5: the read that lets a merging job wait for the earlier jobs of another lane. */
export function createSqlLaneProbe({ runner, dialect }: SqlContext): Pick<LaneClaims, 'pendingBefore'> {
  const pendingBefore = dialect.compile(
    (p) =>
      `SELECT COUNT(*) AS pending FROM jobs
       WHERE destination_id = ${p('destination')} AND lane_key = ${p('lane')} AND status = 'pending'
         AND seq < ${p('seq')}`,
  );
  return {
    async pendingBefore(lane, seq) {
      const values = { destination: lane.destinationId, lane: lane.laneKey, seq };
      const result = await runner.query('pending before', { statement: pendingBefore, values });
      // PostgreSQL's COUNT is a bigint, which its driver gives as text.
      return Number(rowsOf<{ pending: number | string }>(result)[0]?.pending ?? 0);
    },
  };
}
