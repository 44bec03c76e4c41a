import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from './process.js';
import { spawnServeGroup, untilServing, type ServeGroup } from './process-group.js';

// A fatal error at start closes what was opened and ends the process with a non-zero code within
// 5 seconds, so a supervisor sees a failure, never a live process that serves nothing.

const FATAL_EXIT_LIMIT_MS = 5_000;
let dataDir: string;
const groups: ServeGroup[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'startup-'));
});

afterEach(async () => {
  for (const group of groups.splice(0)) await group.killGroup();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts serve and measures how long it takes to end by itself. */
async function timeToExit(
  env: Record<string, string>,
): Promise<{ code: number | string; ms: number; output: string }> {
  const started = Date.now();
  const group = spawnServeGroup(env);
  groups.push(group);
  const code = await Promise.race([
    group.exited,
    new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 15_000)),
  ]);
  return { code, ms: Date.now() - started, output: group.output() };
}

async function listenOn(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('fatal errors at start', () => {
  it('a taken ingestion port ends serve with code 1 within 5 s', async () => {
    const port = await freePort();
    const taken = await listenOn(port);
    try {
      const result = await timeToExit({ PORT: String(port), SANDBOX_PORT: '0', DATA_DIR: dataDir });
      expect(result.output).toContain('EADDRINUSE');
      expect(result.code).toBe(1);
      expect(result.ms).toBeLessThan(FATAL_EXIT_LIMIT_MS);
    } finally {
      taken.close();
    }
    // What it opened was closed: the data directory is free for the next start.
    const next = spawnServeGroup({ PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir });
    groups.push(next);
    await untilServing(next);
  });

  it('a data directory held by a running serve ends the second one with code 1 within 5 s', async () => {
    const first = spawnServeGroup({ PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir });
    groups.push(first);
    await untilServing(first);
    const result = await timeToExit({ PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir });
    expect(result.output).toContain(`${dataDir} is held by another serve process`);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(FATAL_EXIT_LIMIT_MS);
    expect(first.shell.exitCode).toBeNull();
  });

  it('a taken sandbox port ends serve with code 1 and frees the data directory', async () => {
    const sandboxPort = await freePort();
    const taken = await listenOn(sandboxPort);
    try {
      const result = await timeToExit({ PORT: '0', SANDBOX_PORT: String(sandboxPort), DATA_DIR: dataDir });
      expect(result.output).toContain('EADDRINUSE');
      expect(result.code).toBe(1);
    } finally {
      taken.close();
    }
    const next = spawnServeGroup({ PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir });
    groups.push(next);
    await untilServing(next);
  });
});
