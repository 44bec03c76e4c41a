import { spawn, type ChildProcess } from 'node:child_process';

/**
 * `serve` started the way `npm start` leaves it running: a shell (npm's) whose child is the compiled
 * product under plain Node, in a process group of its own, so a supervisor can kill the whole group.
 */
export interface ServeGroup {
  readonly shell: ChildProcess;
  /** Everything the group printed (stdout and stderr). */
  output(): string;
  /** Resolves with the shell's exit code (or signal name) once it has ended. */
  readonly exited: Promise<number | string>;
  /** SIGKILLs every process of the group and resolves once the shell has ended. */
  killGroup(): Promise<void>;
}

/** Starts `serve` in a new process group, without waiting for anything. */
export function spawnServeGroup(env: Record<string, string>): ServeGroup {
  // No `exec`: the shell stays the group's leader with the product as its child, as under npm.
  const shell = spawn('sh', ['-c', 'node --max-semi-space-size=4 dist/node/cli/main.js serve; exit $?'], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  shell.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  shell.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    shell.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    shell,
    output: () => output,
    exited,
    async killGroup() {
      if (shell.pid !== undefined && shell.exitCode === null && shell.signalCode === null) {
        process.kill(-shell.pid, 'SIGKILL');
      }
      await exited;
    },
  };
}

/** Resolves once the group printed the banner; rejects (after killing it) when it exits or takes too long. */
export async function untilServing(group: ServeGroup, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!group.output().includes('Segment ingestion')) {
    if (group.shell.exitCode !== null || group.shell.signalCode !== null) {
      throw new Error(`serve exited before serving:\n${group.output()}`);
    }
    if (Date.now() > deadline) {
      await group.killGroup();
      throw new Error(`serve did not start within ${timeoutMs} ms:\n${group.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
