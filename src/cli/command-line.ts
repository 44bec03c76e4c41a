import { parseArgs } from 'node:util';
import { COMMAND_SPECS, type CommandName, type CommandSpec, PROGRAM } from './command-specs.js';

/** What the process should do with its arguments, decided before any command is loaded. */
export type CommandLine =
  | { readonly kind: 'print'; readonly text: string; readonly exitCode: 0 }
  | { readonly kind: 'refuse'; readonly message: string; readonly exitCode: 2 }
  | { readonly kind: 'run'; readonly name: CommandName; readonly args: readonly string[] };

/** The overall usage: every command with its summary. */
export function overallUsage(): string {
  const specs: Readonly<Record<string, CommandSpec>> = COMMAND_SPECS;
  const lines = Object.entries(specs).map(([name, spec]) => `  ${name.padEnd(10)} ${spec.summary}`);
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...lines,
    '',
    `"${PROGRAM} help <command>" (or "<command> --help") shows a command's options.`,
    '',
  ].join('\n');
}

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_SPECS, name);
}

const isHelpFlag = (arg: string): boolean => arg === '--help' || arg === '-h';

/** The first problem `parseArgs` finds in a command's arguments, as one line, or undefined. */
function argumentProblem(name: string, spec: CommandSpec, args: readonly string[]): string | undefined {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...args], options: spec.options, allowPositionals: true }));
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([^']*)'/.exec(message)?.[1];
    // Node's own text goes on to explain `--`; the first sentence is the one line that matters.
    return `${name}: ${unknown !== undefined ? `unknown option ${unknown}` : (message.split('. ')[0] ?? message)}`;
  }
  if (positionals.length > spec.maxPositionals) {
    const extra = positionals.slice(spec.maxPositionals).join(' ');
    return spec.maxPositionals === 0
      ? `${name}: takes no arguments (got ${extra})`
      : `${name}: unexpected argument ${extra}`;
  }
  return undefined;
}

/**
 * Decides what to do with the process's arguments: print the usage or a command's help (`--help`,
 * `-h`, `help`, `help <command>`, exit 0), refuse an unknown command or option with one line
 * (exit 2), or run a command.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const specs: Readonly<Record<string, CommandSpec>> = COMMAND_SPECS;
  const [first, ...rest] = argv;
  if (first === undefined || isHelpFlag(first)) {
    return { kind: 'print', text: overallUsage(), exitCode: 0 };
  }
  const hint = `run "${PROGRAM} help" for the commands`;
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) return { kind: 'print', text: overallUsage(), exitCode: 0 };
    const spec = Object.hasOwn(specs, topic) ? specs[topic] : undefined;
    if (spec === undefined)
      return { kind: 'refuse', message: `unknown command ${topic}: ${hint}`, exitCode: 2 };
    if (extra.length > 0) return { kind: 'refuse', message: `help takes one command name`, exitCode: 2 };
    return { kind: 'print', text: spec.help, exitCode: 0 };
  }
  if (!isCommandName(first))
    return { kind: 'refuse', message: `unknown command ${first}: ${hint}`, exitCode: 2 };
  const spec: CommandSpec = COMMAND_SPECS[first];
  // `--help` wins wherever it stands, before `--`; after `--` it is an argument.
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).some(isHelpFlag)) {
    return { kind: 'print', text: spec.help, exitCode: 0 };
  }
  const problem = argumentProblem(first, spec, rest);
  if (problem !== undefined) {
    return { kind: 'refuse', message: `${problem} (see "${PROGRAM} help ${first}")`, exitCode: 2 };
  }
  return { kind: 'run', name: first, args: rest };
}
