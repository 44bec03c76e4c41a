/** Child processes of the ingestion benchmarks: servers under test and the load generator. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { BatchMix } from './ingest-events.js';
import type { LoadResult } from './ingest-load.js';

/** A server started in its own process. */
export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resident set size now, in MB (Linux `/proc`). */
  rssMb(): number;
  /** SIGTERM, then resolves once it has exited. */
  stop(): Promise<void>;
}

/** Node flags of `npm start` (package.json), given to the product's server so it runs as users run it. */
export const PRODUCT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** The product's entry as `npm start` runs it: compiled into dist/node/ (see {@link buildProduct}). */
export const PRODUCT_SCRIPT = 'dist/node/cli/main.js';

/** Compiles the product into dist/node/, as `npm start` does before it starts. */
export function buildProduct(): void {
  execFileSync(process.execPath, ['scripts/build-node.mjs', '--quiet'], { stdio: 'inherit' });
}

/** How a benchmark runs `serve`. */
export interface ProductOptions {
  readonly dataDir: string;
  readonly writeKey: string;
  readonly logLevel: string;
  /** Run `src/` through tsx instead of the compiled build (call {@link buildProduct} first otherwise). */
  readonly fromSource?: boolean;
  /** Queue in this PostgreSQL database (DATABASE_URL) instead of SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** More environment variables (the console's ADMIN_TOKEN). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts `serve` with `npm start`'s Node flags, on loopback, with Intercom unreachable (nothing is delivered). */
export async function startProduct(options: ProductOptions): Promise<ServerProcess> {
  return startServer(
    options.fromSource === true ? 'src/cli/main.ts' : PRODUCT_SCRIPT,
    ['serve'],
    {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      SEGMENT_WRITE_KEY: options.writeKey,
      INTERCOM_ACCESS_TOKEN: 'bench-token',
      INTERCOM_API_URL: `http://127.0.0.1:${await closedPort()}`,
      LOG_LEVEL: options.logLevel,
      ...(options.databaseUrl !== undefined ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    /Segment ingestion\s+(\S+)/,
    PRODUCT_NODE_FLAGS,
  );
}

/**
 * Starts `node [nodeFlags] --import tsx <script> ...args` (no tsx for a compiled `.js` script) and
 * resolves once its output matches `ready` (group 1 = URL).
 */
export async function startServer(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: readonly string[] = [],
): Promise<ServerProcess> {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, script, ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let logBytes = 0;
  const keep = (chunk: Buffer): void => {
    logBytes += chunk.length;
    // Keep the start (banner, errors) but not every log line of a long run.
    if (output.length < 64 * 1024) output += chunk.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  let match = ready.exec(output);
  while (match === null) {
    if (child.exitCode !== null) throw new TypeError(`${script} exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new TypeError(`${script} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    match = ready.exec(output);
  }
  const url = match[1] ?? '';
  return {
    url,
    child,
    output: () => `${output}${logBytes > output.length ? `\n[${logBytes} bytes of output in all]` : ''}`,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
      return kb / 1024;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** How the load generator makes messageIds: a random UUID each (as analytics.js) or clustered per request. */
export type MessageIds = 'random' | 'clustered';

/** Runs the load generator in its own process and returns what it measured. */
export async function runLoad(
  url: string,
  writeKey: string,
  seconds: number,
  mode: 'closed' | 'rate',
  amount: number,
  mix: BatchMix = 'mixed',
  ids: MessageIds = 'random',
): Promise<LoadResult> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/ingest-load.ts',
      url,
      writeKey,
      String(seconds),
      mode,
      String(amount),
      mix,
      ids,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return JSON.parse(output.trim()) as LoadResult;
}

/** A loopback port nothing listens on (bound, read, released): an unreachable Intercom. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
