/**
 * What the operator console costs `serve` in memory (issue #16): the same `serve` (compiled, as
 * `npm start` runs it, Intercom unreachable) runs without and with ADMIN_TOKEN, alternately, under the
 * same ingestion load (5,000 events/s, open loop). In the run with the console, a signed-in client polls
 * the overview every 2 s and the dead letters every 5 s, as the page does, and the per-minute history is
 * recorded. RSS is read every 0.5 s; its median under load is steadier than its peak, which depends on
 * when the garbage collector runs.
 *
 * Run: `npx tsx bench/console-memory.ts [rounds, default 2] [seconds of load, default 30]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProduct, runLoad, startProduct, type ServerProcess } from './ingest-process.js';

const ROUNDS = Number(process.argv[2] ?? '2');
const SECONDS = Number(process.argv[3] ?? '30');
const WRITE_KEY = 'bench-write-key';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** Signs in over HTTP as the sign-in form does; resolves to the session cookie. */
async function signIn(url: string): Promise<string> {
  const form = await fetch(`${url}/console/sign-in`);
  const pre = form.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const answer = await fetch(`${url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, token: ADMIN_TOKEN }).toString(),
  });
  return answer.headers.getSetCookie()[0]?.split(';')[0] ?? '';
}

/** Polls as an open console page does, until `stop` is called. */
function pollLikeThePage(url: string, cookie: string): () => Promise<void> {
  let running = true;
  const loop = async (route: string, everyMs: number): Promise<void> => {
    while (running) {
      const answer = await fetch(`${url}${route}`, { headers: { cookie } });
      if (answer.status !== 200) throw new TypeError(`${route} answered ${answer.status}`);
      await answer.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  const loops = [loop('/console/api/overview', 2_000), loop('/console/api/dead-letters', 5_000)];
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

interface Measured {
  readonly idleMb: number;
  /** Median of the samples taken under load (the peak depends on when the collector runs). */
  readonly medianMb: number;
  readonly peakMb: number;
  readonly eventsPerSecond: number;
}

async function measure(withConsole: boolean): Promise<Measured> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-console-'));
  let server: ServerProcess | undefined;
  try {
    server = await startProduct({
      dataDir,
      writeKey: WRITE_KEY,
      logLevel: 'warn',
      ...(withConsole ? { env: { ADMIN_TOKEN } } : {}),
    });
    const product = server;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleMb = product.rssMb();
    const stopPolling = withConsole ? pollLikeThePage(product.url, await signIn(product.url)) : undefined;
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(product.rssMb()), 500);
    const load = await runLoad(product.url, WRITE_KEY, SECONDS, 'rate', 5_000, 'mixed');
    clearInterval(sampler);
    await stopPolling?.();
    const sorted = [...samples].sort((a, b) => a - b);
    const medianMb = sorted[Math.floor(sorted.length / 2)] ?? idleMb;
    return { idleMb, medianMb, peakMb: Math.max(idleMb, ...samples), eventsPerSecond: load.eventsPerSecond };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

buildProduct();
console.log('| round | console | RSS idle MB | RSS under load, median MB | RSS highest MB | events/s |');
console.log('|---:|---|---:|---:|---:|---:|');
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const withConsole of [false, true]) {
    const m = await measure(withConsole);
    console.log(
      `| ${round} | ${withConsole ? 'on' : 'off'} | ${m.idleMb.toFixed(1)} | ${m.medianMb.toFixed(1)} | ${m.peakMb.toFixed(1)} | ${Math.round(m.eventsPerSecond).toLocaleString('en')} |`,
    );
  }
}
