#!/usr/bin/env node
import type { Command } from './command.js';

/** Commands are loaded lazily so `translate` does not pay for the server's dependencies. */
const COMMANDS: Readonly<
  Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>
> = {
  serve: {
    summary: 'run the ingestion server and delivery worker (sandbox when no Intercom token is set)',
    load: async () => (await import('./serve-command.js')).serveCommand,
  },
  sandbox: {
    summary: 'run the local Intercom sandbox alone',
    load: async () => (await import('./sandbox-command.js')).sandboxCommand,
  },
  translate: {
    summary: 'dry run: print the Intercom operations for each event of a JSONL file (or stdin)',
    load: async () => (await import('./translate-command.js')).translateCommand,
  },
  dlq: {
    summary: 'dead letters: list, redrive, purge',
    load: async () => (await import('./dlq-command.js')).dlqCommand,
  },
  doctor: {
    summary: 'check the configuration, each Intercom token (GET /me) and the store; exit 1 on problems',
    load: async () => (await import('./doctor-command.js')).doctorCommand,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: intercom-destination <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const entry = name === undefined ? undefined : COMMANDS[name];
  if (entry === undefined) {
    process.stderr.write(usage());
    return name === undefined || name === '--help' || name === '-h' ? 0 : 2;
  }
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    const command = await entry.load();
    return await command(
      args,
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
