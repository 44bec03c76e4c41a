/**
 * How much of the gap between the product's ingestion and the baseline the store accounts for. Three
 * servers, one after the other in each round, under the same closed loop of `/v1/batch` requests
 * (100 mixed events, random messageIds): the baseline (bare Fastify: read, `JSON.parse`, 200), the
 * product's ingestion without its store (`bench/ingest-no-store.ts`: everything `serve` does on its
 * main thread, rows built and dropped), and `serve` itself as `npm start` runs it (SQLite, group commit,
 * Intercom unreachable). Rounds alternate the three so that they share the machine's moods; the
 * median of each is reported.
 *
 * Run: `npx tsx bench/ingest-ceiling.ts [rounds, default 3] [seconds, default 8] [connections, default 8]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoadResult } from './ingest-load.js';
import {
  buildProduct,
  PRODUCT_NODE_FLAGS,
  runLoad,
  startProduct,
  startServer,
  type ServerProcess,
} from './ingest-process.js';

const ROUNDS = Number(process.argv[2] ?? '3');
const SECONDS = Number(process.argv[3] ?? '8');
const CONNECTIONS = Number(process.argv[4] ?? '8');
const WRITE_KEY = 'bench-write-key';

type Contender = 'baseline' | 'no store' | 'product';

async function start(contender: Contender, dataDir: string): Promise<ServerProcess> {
  switch (contender) {
    case 'baseline':
      return startServer('bench/ingest-baseline.ts', [], {}, /listening (\S+)/);
    case 'no store':
      return startServer(
        'bench/ingest-no-store.ts',
        [WRITE_KEY],
        {},
        /^listening (\S+)$/m,
        PRODUCT_NODE_FLAGS,
      );
    case 'product':
      return startProduct({ dataDir, writeKey: WRITE_KEY, logLevel: 'info' });
  }
}

async function measure(contender: Contender): Promise<LoadResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-ceiling-'));
  const server = await start(contender, dataDir);
  try {
    return await runLoad(server.url, WRITE_KEY, SECONDS, 'closed', CONNECTIONS, 'mixed', 'random');
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

buildProduct();
const contenders: readonly Contender[] = ['baseline', 'no store', 'product'];
const results = new Map<Contender, LoadResult[]>(contenders.map((c) => [c, []]));
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const contender of contenders) {
    const result = await measure(contender);
    const failed =
      result.failedRequests + Object.entries(result.statuses).filter(([s]) => s !== '200').length;
    if (failed > 0) throw new Error(`${contender}: requests failed: ${JSON.stringify(result.statuses)}`);
    results.get(contender)?.push(result);
    process.stderr.write(
      `round ${round} ${contender}: ${Math.round(result.eventsPerSecond).toLocaleString('en')} events/s\n`,
    );
  }
}

const baselineRate = median((results.get('baseline') ?? []).map((r) => r.eventsPerSecond));
const lines = contenders.map((contender) => {
  const runs = results.get(contender) ?? [];
  const rate = median(runs.map((r) => r.eventsPerSecond));
  const all = runs.map((r) => Math.round(r.eventsPerSecond).toLocaleString('en')).join(', ');
  return `| ${contender} | ${Math.round(rate).toLocaleString('en')} | ${((100 * rate) / baselineRate).toFixed(0)} % | ${median(runs.map((r) => r.p50Ms)).toFixed(1)} | ${all} |`;
});
process.stdout.write(
  [
    `ingestion ceiling: ${ROUNDS} rounds of ${SECONDS} s, closed loop ×${CONNECTIONS}, 100-event mixed batches, random messageIds`,
    '',
    '| server | events/s (median) | of the baseline | p50 ms | every round |',
    '|---|---:|---:|---:|---|',
    ...lines,
    '',
  ].join('\n'),
);
