/**
 * Intercom API calls per event on a realistic mixed stream (issue #5, benchmark b).
 *
 * Many users, each session: two adjacent identifies (login, then a page load re-identifying with the
 * same traits), tracks, a group call for the user's company, more tracks. Several sessions per user;
 * the first is "cold" (nothing known yet), the later ones are the steady state. The same stream goes,
 * in the same run, through real SQLite stores, real workers and real executors against fresh sandboxes:
 * - naive: "look up, then write" on every event (an id cache that never remembers; no skips),
 * - product: the durable id cache, unchanged-company skip and attach skip,
 * - product + isBulkAPIEnabled: as above, with adjacent identifies merged.
 * Calls are counted per delivered job from the executor's own tally (merged jobs count 0).
 *
 * Run: `npx tsx bench/api-calls.ts [users, default 300] [sessions, default 4]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../src/delivery/store/sqlite/sqlite-store.js';
import { DeliveryWorker } from '../src/delivery/worker/worker.js';
import { IntercomClient } from '../src/intercom/client.js';
import { createExecutor } from '../src/intercom/executor.js';
import type { IdCache } from '../src/intercom/id-cache.js';
import { mapEvent } from '../src/mapping/map-event.js';
import { DEFAULT_MAPPING_SETTINGS } from '../src/mapping/settings.js';
import { createSandbox } from '../src/sandbox/sandbox.js';
import type { SegmentEvent } from '../src/segment/event.js';

const USERS = Number(process.argv[2] ?? '300');
const SESSIONS = Number(process.argv[3] ?? '4');
const COMPANIES = Math.max(1, Math.floor(USERS / 10));
const TOKEN = 'bench-token';
const PLANS = ['free', 'team', 'business'];
const EVENT_NAMES = ['Viewed Dashboard', 'Created Report', 'Invited Teammate', 'Exported CSV', 'Upgraded'];

type Strategy = 'naive' | 'product' | 'product+bulk';
type EventType = 'identify' | 'track' | 'group';
type SqliteStore = ReturnType<typeof openSqliteStore>;

/** An id cache that never remembers: every event looks its contact and company up again. */
function forgetfulCache(): IdCache {
  const nothing = (): Promise<undefined> => Promise.resolve(undefined);
  const ignore = (): Promise<void> => Promise.resolve();
  return {
    getContactId: nothing,
    setContactId: ignore,
    deleteContactId: ignore,
    getCompanyId: nothing,
    setCompanyId: ignore,
    deleteCompanyId: ignore,
  };
}

/** One session of every user; traits change now and then, as they do in real apps. */
function session(s: number): SegmentEvent[] {
  const events: SegmentEvent[] = [];
  const at = (u: number, i: number): string => new Date(Date.UTC(2024, 0, 1 + s, 8, u % 60, i)).toISOString();
  for (let u = 0; u < USERS; u += 1) {
    const userId = `user-${u}`;
    const company = `company-${u % COMPANIES}`;
    // A user changes plan in one session out of four; logins grows each session.
    const traits = {
      email: `${userId}@example.com`,
      name: `User ${u}`,
      plan: PLANS[(u + Math.floor(s / 4)) % PLANS.length] ?? 'free',
      logins: s + 1,
    };
    let i = 0;
    const common = (kind: string): { messageId: string; userId: string; timestamp: string } => ({
      messageId: `${kind}-${s}-${u}-${i}`,
      userId,
      timestamp: at(u, (i += 1)),
    });
    events.push({ type: 'identify', ...common('i'), traits });
    events.push({ type: 'identify', ...common('i'), traits });
    events.push({
      type: 'track',
      ...common('t'),
      event: EVENT_NAMES[(u + s) % 5] ?? 'Viewed',
      properties: { s },
    });
    events.push({
      type: 'group',
      ...common('g'),
      groupId: company,
      traits: { name: `Company ${u % COMPANIES}`, plan: 'enterprise', employees: 40 + (u % COMPANIES) },
    });
    events.push({
      type: 'track',
      ...common('t'),
      event: EVENT_NAMES[(u + s + 1) % 5] ?? 'Viewed',
      properties: { s },
    });
    events.push({
      type: 'track',
      ...common('t'),
      event: EVENT_NAMES[(u + s + 2) % 5] ?? 'Viewed',
      properties: { s },
    });
  }
  return events;
}

type Tally = Record<EventType, { events: number; calls: number }>;
const emptyTally = (): Tally => ({
  identify: { events: 0, calls: 0 },
  track: { events: 0, calls: 0 },
  group: { events: 0, calls: 0 },
});

/** The calls counted so far; each session starts a fresh tally. */
interface Counter {
  tally: Tally;
}

/** A worker delivering through a real executor into the sandbox at `url`, counting each job's calls. */
function countingWorker(
  strategy: Strategy,
  store: SqliteStore,
  url: string,
  counter: Counter,
): DeliveryWorker {
  const client = new IntercomClient({ accessToken: TOKEN, apiBaseUrl: url });
  const executor = createExecutor({
    client,
    idCache: strategy === 'naive' ? forgetfulCache() : store.idCache,
    destinationId: 'bench',
    createMissingAttributes: true,
  });
  return new DeliveryWorker({
    store,
    destinations: () => ({
      map: (event) => mapEvent(event, DEFAULT_MAPPING_SETTINGS),
      execute: (plan) => executor.execute(plan),
      coalesce: strategy === 'product+bulk',
    }),
    clock: { now: () => Date.now() },
    random: Math.random,
    workerId: 'bench',
    concurrency: 8,
    leaseMs: 30_000,
    pollMs: 10,
    onSettled: ({ job, record }) => {
      if (job.kind !== 'event') return;
      const type = job.event.type;
      if (type !== 'identify' && type !== 'track' && type !== 'group') return;
      if (record.decision !== 'done') throw new TypeError(`${type} ended ${record.decision}`);
      counter.tally[type].events += 1;
      counter.tally[type].calls += record.calls;
    },
  });
}

/** Enqueues and drains every session: the first is the cold phase, the others add up to the steady state. */
async function playSessions(
  store: SqliteStore,
  worker: DeliveryWorker,
  counter: Counter,
): Promise<{ cold: Tally; steady: Tally }> {
  let cold = emptyTally();
  const steady = emptyTally();
  for (let s = 0; s < SESSIONS; s += 1) {
    const events = session(s);
    await store.enqueue(
      events.map((event) => ({
        sourceId: 'bench',
        destinationId: 'bench',
        event,
        receivedAt: event.timestamp,
      })),
    );
    counter.tally = emptyTally();
    while ((await worker.runOnce()) > 0);
    if (s === 0) cold = counter.tally;
    else
      for (const type of ['identify', 'track', 'group'] as const) {
        steady[type].events += counter.tally[type].events;
        steady[type].calls += counter.tally[type].calls;
      }
  }
  return { cold, steady };
}

async function run(strategy: Strategy): Promise<{ cold: Tally; steady: Tally }> {
  const sandbox = await createSandbox({
    token: TOKEN,
    rateLimit: { limit: 1_000_000, windowMs: 10_000 },
    requestLogLimit: 100_000_000,
  });
  const url = await sandbox.listen({ port: 0, host: '127.0.0.1' });
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-calls-'));
  const store = openSqliteStore({ path: path.join(dir, 'delivery.sqlite') });
  try {
    const counter: Counter = { tally: emptyTally() };
    const worker = countingWorker(strategy, store, url, counter);
    const { cold, steady } = await playSessions(store, worker, counter);
    // Cross-check: the executor's tallies must add up to what the sandbox received.
    const tallied = all(cold).calls + all(steady).calls;
    const received = sandbox.requests().length;
    if (tallied !== received) throw new TypeError(`tallied ${tallied} calls, sandbox saw ${received}`);
    return { cold, steady };
  } finally {
    await store.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function ratio(t: { events: number; calls: number }): string {
  return t.events === 0 ? '—' : (t.calls / t.events).toFixed(2);
}

function all(t: Tally): { events: number; calls: number } {
  return {
    events: t.identify.events + t.track.events + t.group.events,
    calls: t.identify.calls + t.track.calls + t.group.calls,
  };
}

const results = new Map<Strategy, Awaited<ReturnType<typeof run>>>();
for (const strategy of ['naive', 'product', 'product+bulk'] as const)
  results.set(strategy, await run(strategy));
const naive = results.get('naive')!;
console.log(
  `${USERS} users, ${COMPANIES} companies, ${SESSIONS} sessions of 2 identifies + 3 tracks + 1 group per user`,
);
console.log('| strategy | phase | identify | track | group | all events | calls ÷ naive |');
console.log('|----------|-------|---------:|------:|------:|-----------:|--------------:|');
for (const [strategy, r] of results) {
  for (const phase of ['cold', 'steady'] as const) {
    const t = r[phase];
    const n = naive[phase];
    console.log(
      `| ${strategy} | ${phase} | ${ratio(t.identify)} | ${ratio(t.track)} | ${ratio(t.group)} | ${ratio(all(t))} | ${(all(t).calls / all(n).calls).toFixed(2)} |`,
    );
  }
}
