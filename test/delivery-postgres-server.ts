import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './e2e/process.js';

const run = promisify(execFile);

/** A throwaway PostgreSQL server in a temp dir on a loopback port, for tests of the PostgreSQL store. */
export interface TestPostgres {
  readonly url: string;
  /** Shuts the server down (fast mode: clients are disconnected), keeping its data. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Where Debian's PostgreSQL binaries live (the image has version 15). */
function binDir(): string {
  for (const version of ['17', '16', '15', '14']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return '';
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, [...args]];
}

/**
 * Starts a fresh server. Tests check semantics, not durability, so fsync is off unless `durable`
 * (benchmarks: a commit then costs what it costs in production).
 */
export async function startTestPostgres(options: { readonly durable?: boolean } = {}): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'delivery-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const port = await freePort();
  const ctl = path.join(bin, 'pg_ctl');
  await run(
    ...asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']),
  );
  const fsync = options.durable === true ? 'on' : 'off';
  const settings = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=${fsync} -c max_connections=50`;
  const start = (): Promise<unknown> =>
    run(...asServerUser(ctl, ['-D', data, '-o', settings, '-l', path.join(dir, 'log'), '-w', 'start']));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async halt() {
      await run(...asServerUser(ctl, ['-D', data, '-m', 'fast', '-w', 'stop']));
    },
    async restart() {
      await start();
    },
    async stop() {
      await run(...asServerUser(ctl, ['-D', data, '-m', 'immediate', 'stop'])).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
