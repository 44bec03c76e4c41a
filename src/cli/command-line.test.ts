import { describe, expect, it } from 'vitest';
import { type CommandLine, overallUsage, parseCommandLine } from './command-line.js';
import { COMMAND_SPECS, PROGRAM } from './command-specs.js';

const usage: CommandLine = { kind: 'print', text: overallUsage(), exitCode: 0 };
const helpOf = (name: keyof typeof COMMAND_SPECS): CommandLine => ({
  kind: 'print',
  text: COMMAND_SPECS[name].help,
  exitCode: 0,
});

describe('the command line', () => {
  it.each<[string, readonly string[], CommandLine]>([
    ['nothing', [], usage],
    ['--help', ['--help'], usage],
    ['-h', ['-h'], usage],
    ['help', ['help'], usage],
    ['help <command>', ['help', 'dlq'], helpOf('dlq')],
    ['<command> --help, before any server starts', ['serve', '--help'], helpOf('serve')],
    ['<command> -h', ['sandbox', '-h'], helpOf('sandbox')],
    ['--help among other options', ['dlq', 'list', '--json', '--help'], helpOf('dlq')],
    ['--help of doctor', ['doctor', '--help'], helpOf('doctor')],
    [
      'a command with its options',
      ['translate', '--json', 'x.jsonl'],
      { kind: 'run', name: 'translate', args: ['--json', 'x.jsonl'] },
    ],
    [
      '--help after -- is an argument',
      ['translate', '--', '--help'],
      { kind: 'run', name: 'translate', args: ['--', '--help'] },
    ],
    ['a command without arguments', ['serve'], { kind: 'run', name: 'serve', args: [] }],
  ])('%s', (_title, argv, expected) => {
    expect(parseCommandLine(argv)).toEqual(expected);
  });

  it.each<[string, readonly string[], string]>([
    ['an unknown command', ['serv'], `unknown command serv: run "${PROGRAM} help" for the commands`],
    [
      'help for an unknown command',
      ['help', 'nope'],
      `unknown command nope: run "${PROGRAM} help" for the commands`,
    ],
    [
      'an unknown option',
      ['dlq', 'list', '--nope'],
      `dlq: unknown option --nope (see "${PROGRAM} help dlq")`,
    ],
    [
      'an unknown short option',
      ['translate', '-x'],
      `translate: unknown option -x (see "${PROGRAM} help translate")`,
    ],
    [
      'an option without its value',
      ['dlq', 'list', '--limit'],
      `dlq: Option '--limit <value>' argument missing (see "${PROGRAM} help dlq")`,
    ],
    [
      'a value for a flag',
      ['translate', '--json=yes'],
      `translate: Option '--json' does not take an argument (see "${PROGRAM} help translate")`,
    ],
    [
      'arguments to a command that takes none',
      ['serve', 'now'],
      `serve: takes no arguments (got now) (see "${PROGRAM} help serve")`,
    ],
    [
      'one argument too many',
      ['translate', 'a.jsonl', 'b.jsonl'],
      `translate: unexpected argument b.jsonl (see "${PROGRAM} help translate")`,
    ],
  ])('refuses %s with one line and exit code 2', (_title, argv, message) => {
    const line = parseCommandLine(argv);
    expect(line).toEqual({ kind: 'refuse', message, exitCode: 2 });
    if (line.kind === 'refuse') expect(line.message).not.toContain('\n');
  });

  it.each(Object.entries(COMMAND_SPECS))(
    'the help of %s starts with its usage and names every option',
    (name, spec) => {
      expect(spec.help.startsWith(`usage: ${PROGRAM} ${name}`)).toBe(true);
      for (const option of Object.keys(spec.options)) expect(spec.help).toContain(`--${option}`);
      expect(overallUsage()).toContain(`  ${name.padEnd(10)} ${spec.summary}`);
    },
  );
});
