/**
 * Processes of the chaos benchmark: `serve` as `npm start` leaves it running (a shell whose child is
 * the compiled product, in a process group of its own, output appended to a log file) and the
 * standalone sandbox, both started from the compiled modules in dist/node/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** A running process group and how to end it. */
export interface Group {
  readonly child: ChildProcess;
  readonly exited: Promise<number | string>;
  /** SIGKILL to every process of the group; resolves once its leader has ended. */
  kill(): Promise<void>;
  /** SIGTERM to the leader's group; resolves with the exit code. */
  stop(): Promise<number | string>;
}

/** Starts `command` through `sh` in a new process group, its output appended to `logFile`. */
export function spawnGroup(command: string, env: Record<string, string>, logFile: string): Group {
  const fd = openSync(logFile, 'a');
  const child = spawn('sh', ['-c', `${command}; exit $?`], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, signal);
    }
  };
  return {
    child,
    exited,
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
    async stop() {
      signalGroup('SIGTERM');
      return exited;
    },
  };
}

/** The compiled product's command line for one CLI command, as the npm scripts run it. */
export function productCommand(name: 'serve' | 'sandbox'): string {
  const flags = name === 'serve' ? '--max-semi-space-size=4 ' : '';
  return `node ${flags}dist/node/cli/main.js ${name}`;
}

/** Resolves once `url` answers 200, or rejects when `group` exits first or `timeoutMs` passes. */
export async function untilAnswering(url: string, group: Group, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (group.child.exitCode !== null || group.child.signalCode !== null) {
      throw new TypeError(`${url}: the process exited before answering`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new TypeError(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The unfinished jobs `/health` reports (pending and parked, every destination); undefined when down. */
export async function unfinishedJobs(ingestUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${ingestUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { destinations: { pending: number; parked: number }[] };
    return body.destinations.reduce((n, d) => n + d.pending + d.parked, 0);
  } catch {
    return undefined;
  }
}
