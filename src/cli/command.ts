import type { Writable, Readable } from 'node:stream';

/** The process environment as a plain map; only `main.ts` passes `process.env` in. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Streams a command talks to, injected so tests can capture them. */
export interface CommandIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/**
 * One CLI command. Long-running commands (serve, sandbox) resolve only when they are asked to stop
 * (`signal` aborted on SIGTERM/SIGINT). The resolved number is the process exit code.
 */
export type Command = (
  args: readonly string[],
  env: Env,
  io: CommandIo,
  signal: AbortSignal,
) => Promise<number>;
