#!/usr/bin/env node
import type { Command } from './command.js';
import { parseCommandLine } from './command-line.js';
import type { CommandName } from './command-specs.js';
import { boundHeapGrowth } from './heap-growth.js';

/** Commands are loaded lazily so `translate` does not pay for the server's dependencies. */
const LOADERS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  sandbox: async () => (await import('./sandbox-command.js')).sandboxCommand,
  translate: async () => (await import('./translate-command.js')).translateCommand,
  dlq: async () => (await import('./dlq-command.js')).dlqCommand,
  replay: async () => (await import('./replay-command.js')).replayCommand,
  forget: async () => (await import('./forget-command.js')).forgetCommand,
  doctor: async () => (await import('./doctor-command.js')).doctorCommand,
};

async function main(argv: readonly string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'print') {
    process.stdout.write(line.text);
    return line.exitCode;
  }
  if (line.kind === 'refuse') {
    process.stderr.write(`${line.message}\n`);
    return line.exitCode;
  }
  boundHeapGrowth(line.name);
  const load = LOADERS[line.name];
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const command = await load();
    return await command(
      line.args,
      process.env,
      { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
      controller.signal,
    );
  } finally {
    // The command is over: a signal from now on ends the process the default way.
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}

/**
 * After the command, the process ends by itself once nothing is left open; should anything still be
 * (a part that failed to close), it is ended after this long anyway: a supervisor must see an exit,
 * never a live process that serves nothing.
 */
const EXIT_GRACE_MS = 2_000;

function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  finish(1);
});
