/**
 * Chaos benchmark (issue #14): events through `/v1/batch` while the Intercom sandbox fails 20 % of
 * requests with a 5xx, drops connections, adds latency and opens 429 windows, and `serve` is
 * SIGKILLed (its whole process group, as a supervisor would) at random moments and restarted at once.
 *
 * The product runs as `npm start` runs it (compiled, plain Node, its own process group); the sandbox
 * is a process of its own (`npm run sandbox`), so Intercom's state survives the kills. When the queue
 * has drained, the run compares the sandbox's state and the dead letters with what was acknowledged:
 * lost events, duplicated contacts, per-user order violations (tracks in the wrong order, or an
 * earlier identify's trait winning), dead letters by reason, drain time.
 *
 * Run: `npx tsx bench/chaos.ts [--engine sqlite|postgres] [--events 100000] [--users 2000] [--kills 10]
 * [--senders 4] [--rate 1000] [--concurrency 8] [--kill-window 150] [--seed 1]`: events are sent at
 * `--rate` events/s, and the kills come at random moments of the first `--kill-window` seconds. PostgreSQL is a throwaway server on this machine (fsync on).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openCommandQueue } from '../src/cli/queue.js';
import type { DeadLetter } from '../src/delivery/store/dead-letters.js';
import type { SandboxState } from '../src/sandbox/store.js';
import { startTestPostgres } from '../test/delivery-postgres-server.js';
import { freePort } from '../test/e2e/process.js';
import { checkRun, type ChaosFindings } from './chaos-check.js';
import { chaosUsers, sendAll, type SendReport } from './chaos-load.js';
import { type Group, productCommand, spawnGroup, unfinishedJobs, untilAnswering } from './chaos-serve.js';

const { values: flags } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    events: { type: 'string', default: '100000' },
    users: { type: 'string', default: '2000' },
    kills: { type: 'string', default: '10' },
    senders: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '8' },
    'kill-window': { type: 'string', default: '150' },
    rate: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
  },
});
const ENGINE = flags.engine === 'postgres' ? 'postgres' : 'sqlite';
const USERS = Number(flags.users);
const EVENTS_PER_USER = Math.max(2, Math.round(Number(flags.events) / USERS));
const KILLS = Number(flags.kills);
const WRITE_KEY = 'chaos-write-key';
const TOKEN = 'chaos-token';

/** A small seeded generator (mulberry32), so a run's kill moments can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seeded(Number(flags.seed));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sandbox's faults, changed every second until stopped: 20 % 5xx (500, 502 or 503), 2 % dropped
 * connections, 5 ms latency; every 30 s a 3 s window in which half the requests answer 429.
 */
function runFaults(sandboxUrl: string): { stop(): Promise<void> } {
  let running = true;
  const set = (faults: object): Promise<unknown> =>
    fetch(`${sandboxUrl}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    }).catch(() => undefined);
  const loop = (async () => {
    for (let second = 0; running; second += 1) {
      const window429 = second % 30 >= 27;
      const status = [500, 502, 503][second % 3] ?? 500;
      await set(window429 ? { errorRate: 0.5, errorStatus: 429 } : { errorRate: 0.2, errorStatus: status });
      await sleep(1_000);
    }
    await set({ errorRate: 0, dropRate: 0, latencyMs: 0 });
  })();
  void set({ dropRate: 0.02, latencyMs: 5 });
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The `serve` running now, so that a failed run does not leave it behind. */
let currentServe: Group | undefined;

/** Starts `serve` and resolves once it answers `/health`. */
async function startServe(env: Record<string, string>, ingestUrl: string, logFile: string): Promise<Group> {
  const group = spawnGroup(productCommand('serve'), env, logFile);
  currentServe = group;
  await untilAnswering(`${ingestUrl}/health`, group);
  return group;
}

/**
 * Kills `serve` at random moments of the first `--kill-window` seconds from `startedAt` (a moment
 * that passed during a restart comes right after it) and restarts it at once; resolves to the last one.
 */
async function killRepeatedly(
  first: Group,
  restart: () => Promise<Group>,
  startedAt: number,
): Promise<{ group: Group; restartMs: number[] }> {
  const windowMs = Number(flags['kill-window']) * 1_000;
  const moments = Array.from({ length: KILLS }, () => startedAt + 2_000 + random() * (windowMs - 2_000));
  moments.sort((a, b) => a - b);
  let group = first;
  const restartMs: number[] = [];
  for (const moment of moments) {
    if (moment > Date.now()) await sleep(moment - Date.now());
    await group.kill();
    const started = Date.now();
    group = await restart();
    restartMs.push(Date.now() - started);
  }
  return { group, restartMs };
}

/** Waits until `/health` reports no unfinished job twice in a row. */
async function untilDrained(ingestUrl: string): Promise<void> {
  let empty = 0;
  for (let tick = 0; empty < 2; tick += 1) {
    const unfinished = await unfinishedJobs(ingestUrl);
    empty = unfinished === 0 ? empty + 1 : 0;
    if (tick % 20 === 0)
      process.stderr.write(`${new Date().toISOString()} unfinished jobs: ${unfinished ?? 'serve down'}\n`);
    await sleep(500);
  }
}

/** Every dead letter and the delivered count from the queue, opened as `dlq` opens it. */
async function readQueue(location: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<{ dead: DeadLetter[]; delivered: number; unfinished: number }> {
  const store = await openCommandQueue(location);
  try {
    const dead: DeadLetter[] = [];
    for (;;) {
      const page = await store.listDeadLetters({
        limit: 1_000,
        ...(dead.length > 0 ? { afterId: dead.at(-1)!.id } : {}),
      });
      dead.push(...page);
      if (page.length < 1_000) break;
    }
    const counts = await store.deliveryCounts();
    const delivered = counts.filter((c) => c.result === 'delivered').reduce((n, c) => n + c.count, 0);
    const depths = await store.queueDepth(Date.now());
    return { dead, delivered, unfinished: depths.reduce((n, d) => n + d.pending + d.parked, 0) };
  } finally {
    await store.close();
  }
}

/** `serve`'s environment: Intercom at the sandbox, the queue at `location`, warnings and worse logged. */
function serveEnv(
  port: number,
  sandboxUrl: string,
  location: { dataDir: string; databaseUrl?: string },
): Record<string, string> {
  return {
    PORT: String(port),
    SEGMENT_WRITE_KEY: WRITE_KEY,
    INTERCOM_ACCESS_TOKEN: TOKEN,
    INTERCOM_API_URL: sandboxUrl,
    DATA_DIR: location.dataDir,
    DELIVERY_CONCURRENCY: String(flags.concurrency),
    LOG_LEVEL: 'warn',
    ...(location.databaseUrl === undefined ? {} : { DATABASE_URL: location.databaseUrl }),
  };
}

/** One run of the benchmark on the configured engine. */
async function run(): Promise<void> {
  execFileSync(process.execPath, ['scripts/build-node.mjs', '--quiet'], { stdio: 'inherit' });
  const workDir = mkdtempSync(path.join(tmpdir(), 'bench-chaos-'));
  const postgres = ENGINE === 'postgres' ? await startTestPostgres({ durable: true }) : undefined;
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const ingestUrl = `http://127.0.0.1:${port}`;
  const sandboxEnv = { PORT: String(sandboxPort), SANDBOX_TOKEN: TOKEN, SANDBOX_RATE_LIMIT: '5000' };
  const sandbox = spawnGroup(productCommand('sandbox'), sandboxEnv, path.join(workDir, 'sandbox.log'));
  const location = {
    dataDir: path.join(workDir, 'data'),
    ...(postgres ? { databaseUrl: postgres.url } : {}),
  };
  try {
    await untilAnswering(`${sandboxUrl}/sandbox/faults`, sandbox);
    const env = serveEnv(port, sandboxUrl, location);
    const logFile = path.join(workDir, 'serve.log');
    const users = chaosUsers(USERS, EVENTS_PER_USER);
    const faults = runFaults(sandboxUrl);
    const startedAt = Date.now();
    const first = await startServe(env, ingestUrl, logFile);
    const [sent, kills] = await Promise.all([
      sendAll(ingestUrl, WRITE_KEY, users, {
        senders: Number(flags.senders),
        eventsPerSecond: Number(flags.rate),
      }),
      killRepeatedly(first, () => startServe(env, ingestUrl, logFile), startedAt),
    ]);
    await untilDrained(ingestUrl);
    const drainedAt = Date.now();
    await faults.stop();
    await kills.group.stop();
    const queue = await readQueue(location);
    const state = (await (await fetch(`${sandboxUrl}/sandbox/state`)).json()) as SandboxState;
    const log = readFileSync(logFile, 'utf8');
    report({
      sent,
      kills: kills.restartMs,
      queue,
      findings: checkRun(users, state, queue.dead),
      log,
      ms: drainedAt - startedAt,
      ingestMs: sent.lastAckAtMs - startedAt,
    });
  } finally {
    await currentServe?.kill();
    await sandbox.stop();
    await postgres?.stop();
    if (process.env['CHAOS_KEEP'] === undefined) rmSync(workDir, { recursive: true, force: true });
    else process.stderr.write(`kept ${workDir}\n`);
  }
}

/** Prints the run's figures and its row for bench/RESULTS.md. */
function report(r: {
  sent: SendReport;
  kills: number[];
  queue: { dead: DeadLetter[]; delivered: number; unfinished: number };
  findings: ChaosFindings;
  log: string;
  ms: number;
  ingestMs: number;
}): void {
  const { findings, queue, sent } = r;
  const dead =
    Object.entries(findings.deadByReason)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ') || 'none';
  const accounted = queue.delivered + queue.dead.length === sent.acknowledged && queue.unfinished === 0;
  const failureLines = r.log.split('\n').filter((line) => line.includes('"delivery attempt failed"')).length;
  console.log(
    JSON.stringify(
      {
        engine: ENGINE,
        users: USERS,
        eventsPerUser: EVENTS_PER_USER,
        ...sent,
        ...findings,
        delivered: queue.delivered,
        deadLetters: queue.dead.length,
        unfinished: queue.unfinished,
        everyJobDeliveredOrDead: accounted,
        restartMs: r.kills,
        failureLogLines: failureLines,
        ingestSeconds: r.ingestMs / 1000,
        drainSeconds: r.ms / 1000,
      },
      null,
      2,
    ),
  );
  console.log(
    '| engine | acknowledged | batches resent | delivered | dead letters by reason | lost | duplicated contacts | order violations | kills | all sent, s | drained, s |',
  );
  console.log('|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${ENGINE} | ${sent.acknowledged.toLocaleString('en')} | ${sent.retries} | ${queue.delivered.toLocaleString('en')} | ${dead} | ${findings.lost} | ${findings.duplicatedContacts} | ${findings.orderViolations} | ${r.kills.length} | ${(r.ingestMs / 1000).toFixed(0)} | ${(r.ms / 1000).toFixed(0)} |`,
  );
}

await run();
