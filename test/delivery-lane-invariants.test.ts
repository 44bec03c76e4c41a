import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimedJob, JobStatus } from '../src/delivery/store/job.js';
import { openSqliteStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import type { SegmentEvent } from '../src/segment/event.js';

/**
 * Random interleavings of enqueue, claim and every way a job can end, against real SQLite, checking
 * the lane rules after each step (C-RACE-1, C-RACE-2): one job per lane in flight, a pending job is
 * claimed only as its lane's head, a parked one only when its lane is idle, and nothing is ever lost.
 */

const USERS = ['a', 'b', 'c'] as const;
const LEASE = 1_000;

type Step =
  | { readonly kind: 'enqueue'; readonly user: (typeof USERS)[number]; readonly type: 'track' | 'identify' }
  | { readonly kind: 'claim'; readonly limit: number }
  | {
      readonly kind: 'finish';
      readonly pick: number;
      readonly how: 'complete' | 'retry' | 'park' | 'kill' | 'release';
    }
  | { readonly kind: 'tick'; readonly ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('enqueue' as const),
      user: fc.constantFrom(...USERS),
      type: fc.constantFrom('track' as const, 'identify' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('claim' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('finish' as const),
      pick: fc.nat(),
      how: fc.constantFrom(
        'complete' as const,
        'retry' as const,
        'park' as const,
        'kill' as const,
        'release' as const,
      ),
    }),
  },
  // Mostly short ticks (retry and park timers are 10 ms), sometimes past a lease.
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      ms: fc.constantFrom(0, 5, 10, 50, LEASE, 2 * LEASE),
    }),
  },
);

interface ModelJob {
  readonly lane: string;
  status: JobStatus;
}

let dir: string;
let run = 0;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'delivery-lanes-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function event(n: number, user: string, type: 'track' | 'identify'): SegmentEvent {
  const common = { messageId: `m${n}`, userId: user, timestamp: '2024-05-01T12:00:00.000Z' };
  return type === 'track' ? { ...common, type, event: 'E' } : { ...common, type };
}

async function check(steps: readonly Step[]): Promise<void> {
  run += 1;
  const store = openSqliteStore({ path: path.join(dir, `run-${run}.sqlite`) });
  const model = new Map<number, ModelJob>();
  let inFlight: ClaimedJob[] = [];
  let now = 1_000_000;
  let n = 0;
  const record = { atMs: 0, decision: 'retry' as const, counted: true, calls: 1 };
  const finished = new Set<number>();

  const assertClaimable = (job: ClaimedJob): void => {
    const mine = model.get(job.seq)!;
    const lane = [...model.entries()].filter(([seq, j]) => j.lane === mine.lane && seq !== job.seq);
    // C-RACE-1: nothing else of the lane is in flight.
    expect(inFlight.some((other) => model.get(other.seq)?.lane === mine.lane)).toBe(false);
    if (mine.status === 'pending') {
      // C-RACE-1: the head of the lane (parked jobs do not block).
      expect(lane.some(([seq, j]) => seq < job.seq && j.status === 'pending')).toBe(false);
    } else {
      // C-RACE-2: a parked job runs on its own only when its lane is idle.
      expect(lane.some(([seq, j]) => j.status === 'pending' || seq < job.seq)).toBe(false);
    }
  };

  try {
    for (const s of steps) {
      switch (s.kind) {
        case 'enqueue': {
          n += 1;
          await store.enqueue([
            {
              sourceId: 's',
              destinationId: 'd',
              event: event(n, s.user, s.type),
              receivedAt: '2024-05-01T12:00:00.000Z',
            },
          ]);
          model.set(n, { lane: `u:${s.user}`, status: 'pending' });
          break;
        }
        case 'claim': {
          // Expired leases return their jobs: the model forgets those workers' in-flight entries.
          inFlight = inFlight.filter((job) => job.lockedUntilMs > now);
          const claimed = await store.claim({ workerId: `w${now}`, limit: s.limit, leaseMs: LEASE, now });
          for (const job of claimed) {
            assertClaimable(job);
            inFlight.push(job);
          }
          break;
        }
        case 'finish': {
          const job = inFlight[s.pick % Math.max(1, inFlight.length)];
          if (job === undefined || job.lockedUntilMs <= now) break;
          inFlight = inFlight.filter((j) => j.seq !== job.seq);
          const mine = model.get(job.seq)!;
          if (s.how === 'complete' || s.how === 'kill') {
            if (s.how === 'complete') await store.complete(job, record);
            else await store.kill(job, { reason: 'rejected' }, record, now);
            model.delete(job.seq);
            finished.add(job.seq);
            if (s.how === 'complete') {
              for (const j of model.values())
                if (j.lane === mine.lane && j.status === 'parked') j.status = 'pending';
            }
          } else if (s.how === 'retry') {
            await store.reschedule(job, now + 10, record, { countsAsAttempt: true });
          } else if (s.how === 'park') {
            await store.park(job, now + 10, record);
            mine.status = 'parked';
          } else {
            await store.release(job);
          }
          break;
        }
        case 'tick':
          now += s.ms;
          break;
      }
    }

    // Liveness: with time moving on and every attempt succeeding, every job is delivered.
    for (let round = 0; round < 200 && model.size > 0; round += 1) {
      now += 2 * LEASE;
      inFlight = [];
      for (const job of await store.claim({ workerId: 'drain', limit: 10, leaseMs: LEASE, now })) {
        assertClaimable(job);
        inFlight.push(job);
      }
      for (const job of inFlight) {
        const lane = model.get(job.seq)!.lane;
        await store.complete(job, record);
        model.delete(job.seq);
        for (const j of model.values()) if (j.lane === lane && j.status === 'parked') j.status = 'pending';
      }
      inFlight = [];
    }
    expect([...model.keys()]).toEqual([]);
    expect(await store.queueDepth(now)).toEqual(
      (await store.listDeadLetters({ limit: 1_000 })).length > 0
        ? [expect.objectContaining({ pending: 0, parked: 0 })]
        : [],
    );
  } finally {
    await store.close();
  }
}

describe('job store lane invariants (property)', () => {
  it('C-RACE-1 / C-RACE-2 hold for random interleavings and every job is eventually delivered', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 60 }), check), {
      numRuns: 100,
    });
  });
});
