import { describe, expect, it } from 'vitest';
import type { DeliverPlan } from '../../intercom/operations.js';
import type { AttemptRecord, ClaimedJob } from '../store/job.js';
import {
  LEAD_LANE_FIRST_WAIT_MS,
  LEAD_LANE_MAX_WAIT_MS,
  leadLanes,
  leadLaneWait,
  leadLaneWaitMs,
} from './lead-lanes.js';

const waiting: AttemptRecord = { atMs: 1, decision: 'waiting', counted: false, calls: 0 };
const retry: AttemptRecord = { atMs: 1, decision: 'retry', counted: true, calls: 1 };

function job(history: readonly AttemptRecord[] = []): ClaimedJob {
  return {
    kind: 'event',
    replayed: false,
    seq: 7,
    sourceId: 's',
    messageId: 'm',
    destinationId: 'd',
    laneKey: 'u:u1',
    event: { type: 'identify', messageId: 'm', userId: 'u1', timestamp: '2024-05-01T12:00:00.000Z' },
    receivedAt: '2024-05-01T12:00:00.000Z',
    status: 'pending',
    attempts: 0,
    history,
    lockedBy: 'w',
    lockedUntilMs: 2,
  };
}

const mergePlan: DeliverPlan = {
  kind: 'deliver',
  operations: [{ kind: 'merge_lead', identity: { externalId: 'u1', email: ' Grace@Example.com' } }],
  warnings: [],
};

describe('lead lanes (C-IDN-5)', () => {
  it("C-IDN-5 a merge waits for the email's lane, keyed as the email-only events are (trimmed, lower case)", () => {
    expect(leadLanes(job(), mergePlan)).toEqual([{ destinationId: 'd', laneKey: 'e:grace@example.com' }]);
    expect(leadLanes(job(), { ...mergePlan, operations: [] })).toEqual([]);
  });

  it('C-IDN-5 the wait doubles with each wait in a row, up to its longest', () => {
    expect(leadLaneWaitMs(job())).toBe(LEAD_LANE_FIRST_WAIT_MS);
    expect(leadLaneWaitMs(job([waiting]))).toBe(2 * LEAD_LANE_FIRST_WAIT_MS);
    expect(leadLaneWaitMs(job([waiting, waiting, waiting]))).toBe(8 * LEAD_LANE_FIRST_WAIT_MS);
    expect(leadLaneWaitMs(job([waiting, waiting, retry]))).toBe(LEAD_LANE_FIRST_WAIT_MS);
    expect(leadLaneWaitMs(job(Array.from({ length: 100 }, () => waiting)))).toBe(LEAD_LANE_MAX_WAIT_MS);
  });

  it('C-IDN-5 waits only while the lane has earlier pending jobs, and says so without counting', async () => {
    const asked: [string, number][] = [];
    const store = (pending: number) => ({
      pendingBefore: (lane: { laneKey: string }, seq: number) => {
        asked.push([lane.laneKey, seq]);
        return Promise.resolve(pending);
      },
    });
    expect(await leadLaneWait(store(0), { job: job(), lastSeq: 7 }, mergePlan, 1000)).toBeUndefined();
    const wait = await leadLaneWait(store(2), { job: job(), lastSeq: 9 }, mergePlan, 1000);
    expect(wait).toEqual({
      untilMs: 1000 + LEAD_LANE_FIRST_WAIT_MS,
      record: {
        atMs: 1000,
        decision: 'waiting',
        counted: false,
        calls: 0,
        notes: ['waiting for 2 earlier email-only jobs before merging the lead (C-IDN-5)'],
      },
    });
    // With merged followers, what came before the last of them counts.
    expect(asked).toEqual([
      ['e:grace@example.com', 7],
      ['e:grace@example.com', 9],
    ]);
  });
});
