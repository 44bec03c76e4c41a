/**
 * Draining a backlog against an Intercom limited to R requests per window (issue #5, benchmark a).
 *
 * The whole product runs in-process (`startService`, real SQLite store, real HTTP on loopback) against
 * the sandbox with `rateLimit: {limit: R, windowMs}`. A backlog of identifies and tracks over many users
 * is ingested, then drained twice in the same run: with the proactive pacer (the product) and without
 * it (the baseline: the worker only stops when a response says `remaining = 0`, and on 429s).
 * Reported per mode: requests answered per full window as a share of R (aim ≥ 90 %), the 429s
 * (aim 0), and the drain time.
 *
 * Run: `npx tsx bench/drain.ts [users, default 200] [R per window, default 100] [windowMs, default 1000]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { readServeConfig } from '../src/cli/config.js';
import { startService } from '../src/cli/service.js';
import type { RecordedRequest } from '../src/sandbox/request-log.js';

const USERS = Number(process.argv[2] ?? '200');
const LIMIT = Number(process.argv[3] ?? '100');
const WINDOW_MS = Number(process.argv[4] ?? '1000');
const TRACKS_PER_USER = 9;
const WRITE_KEY = 'bench-write-key';
const CONCURRENCY = 8;

interface DrainResult {
  readonly mode: string;
  readonly events: number;
  readonly requests: number;
  readonly rejected429: number;
  readonly drainMs: number;
  /** Answered (non-429) requests per full window, as a share of R. */
  readonly shareOfLimit: number;
  readonly fullWindows: number;
}

function backlog(): object[][] {
  const batches: object[][] = [];
  for (let u = 0; u < USERS; u += 1) {
    const userId = `drain-${u}`;
    const batch: object[] = [
      {
        type: 'identify',
        messageId: `d-i-${u}`,
        userId,
        traits: { email: `${userId}@example.com`, plan: 'pro' },
      },
    ];
    for (let t = 0; t < TRACKS_PER_USER; t += 1) {
      batch.push({
        type: 'track',
        messageId: `d-t-${u}-${t}`,
        userId,
        event: `Drain Step ${t % 3}`,
        properties: { step: t },
        timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, t)).toISOString(),
      });
    }
    batches.push(batch);
  }
  return batches;
}

/** Requests per window (windows aligned like the sandbox's), first and last (partial) windows left out. */
function shareOfLimit(log: readonly RecordedRequest[]): { share: number; fullWindows: number } {
  const perWindow = new Map<number, number>();
  for (const request of log) {
    if (request.status === 429) continue;
    const window = Math.floor(request.time / WINDOW_MS);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  const windows = [...perWindow.keys()].sort((a, b) => a - b);
  const inner = windows.slice(1, -1);
  if (inner.length === 0) return { share: Number.NaN, fullWindows: 0 };
  // Windows in the middle with no request at all count as wasted too.
  const span = inner[inner.length - 1]! - inner[0]! + 1;
  const answered = inner.reduce((sum, w) => sum + (perWindow.get(w) ?? 0), 0);
  return { share: answered / (span * LIMIT), fullWindows: span };
}

async function drain(mode: 'paced' | 'naive'): Promise<DrainResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-drain-'));
  const config = readServeConfig(
    {
      PORT: '0',
      SANDBOX_PORT: '0',
      SEGMENT_WRITE_KEY: WRITE_KEY,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DELIVERY_CONCURRENCY: String(CONCURRENCY),
    },
    process.cwd(),
  );
  const service = await startService(config, {
    logger: pino({ level: 'silent' }),
    pollMs: 20,
    ratePacing: mode === 'paced',
    sandboxOptions: { rateLimit: { limit: LIMIT, windowMs: WINDOW_MS }, requestLogLimit: 1_000_000 },
  });
  try {
    const batches = backlog();
    const events = batches.reduce((n, b) => n + b.length, 0);
    const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
    for (const batch of batches) {
      const response = await fetch(`${service.ingestUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ batch }),
      });
      if (response.status !== 200) throw new TypeError(`ingest answered ${response.status}`);
    }
    const sandbox = service.sandbox!;
    const expectedEvents = USERS * TRACKS_PER_USER;
    const started = Date.now();
    while (sandbox.state().events.length < expectedEvents) {
      if (Date.now() - started > 600_000) throw new TypeError('drain did not finish within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const log = sandbox.requests();
    const first = log[0]?.time ?? 0;
    const last = log[log.length - 1]?.time ?? 0;
    const { share, fullWindows } = shareOfLimit(log);
    return {
      mode,
      events,
      requests: log.length,
      rejected429: log.filter((r) => r.status === 429).length,
      drainMs: last - first,
      shareOfLimit: share,
      fullWindows,
    };
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function row(r: DrainResult, baseline: DrainResult): string {
  return `| ${r.mode} | ${r.events} | ${r.requests} | ${r.rejected429} | ${(r.drainMs / 1000).toFixed(1)} | ${(r.shareOfLimit * 100).toFixed(1)} % | ${r.fullWindows} | ${(baseline.drainMs / r.drainMs).toFixed(2)} |`;
}

const naive = await drain('naive');
const paced = await drain('paced');
console.log(`R = ${LIMIT} requests per ${WINDOW_MS} ms, ${USERS} users, concurrency ${CONCURRENCY}`);
console.log(
  '| mode | events | requests | 429s | drain s | answered per full window ÷ R | full windows | speed vs naive |',
);
console.log(
  '|------|-------:|---------:|-----:|--------:|-----------------------------:|-------------:|---------------:|',
);
console.log(row(naive, naive));
console.log(row(paced, naive));
