/**
 * Every way a user asks for help, run as a user runs it: the npm scripts the README names, the
 * compiled entry point, and the package's `bin` through npx. Help exits 0 without starting anything;
 * an unknown option is one line on stderr and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './checkout-copy.js';

interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[]): Ran {
  const result = spawnSync(command, args, {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    // A data directory that does not exist: a command that wrongly started would create it.
    env: { ...process.env, DATA_DIR: '/nonexistent/command-line-test', npm_config_update_notifier: 'false' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('help and unknown options, as users run the commands', () => {
  it.each([
    ['npm start -- --help', 'npm', ['start', '--', '--help'], 'serve'],
    ['npm run sandbox -- --help', 'npm', ['run', 'sandbox', '--', '--help'], 'sandbox'],
    ['npm run translate -- --help', 'npm', ['run', 'translate', '--', '--help'], 'translate'],
    ['npm run dlq -- --help', 'npm', ['run', 'dlq', '--', '--help'], 'dlq'],
    ['npm run doctor -- --help', 'npm', ['run', 'doctor', '--', '--help'], 'doctor'],
    ['npm run replay -- --help', 'npm', ['run', 'replay', '--', '--help'], 'replay'],
    ['npm run forget -- --help', 'npm', ['run', 'forget', '--', '--help'], 'forget'],
    ['main.js help dlq', process.execPath, ['dist/node/cli/main.js', 'help', 'dlq'], 'dlq'],
    ['npx intercom-destination serve -h', 'npx', ['intercom-destination', 'serve', '-h'], 'serve'],
  ])('%s prints the help and exits 0 without starting anything', (_title, command, args, name) => {
    const ran = run(command, args);
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain(`usage: intercom-destination ${name}`);
    expect(ran.stdout).not.toMatch(/Segment ingestion +http/);
    expect(ran.stderr).not.toMatch(/Unknown option|fatal|listening/i);
  });

  it.each([
    ['main.js help', process.execPath, ['dist/node/cli/main.js', 'help']],
    ['npx intercom-destination --help', 'npx', ['intercom-destination', '--help']],
  ])('%s lists every command and exits 0', (_title, command, args) => {
    const ran = run(command, args);
    expect(ran.status).toBe(0);
    for (const name of ['serve', 'sandbox', 'translate', 'dlq', 'replay', 'forget', 'doctor'])
      expect(ran.stdout).toContain(`  ${name} `);
  });

  it.each([
    [
      'npm run -s dlq -- list --nope',
      'npm',
      ['run', '-s', 'dlq', '--', 'list', '--nope'],
      'dlq: unknown option --nope',
    ],
    [
      'npx intercom-destination serve --port 1',
      'npx',
      ['intercom-destination', 'serve', '--port', '1'],
      'serve: unknown option --port',
    ],
    ['main.js nope', process.execPath, ['dist/node/cli/main.js', 'nope'], 'unknown command nope'],
  ])('%s is refused with one line and exit code 2', (_title, command, args, message) => {
    const ran = run(command, args);
    expect(ran.status).toBe(2);
    expect(ran.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
    expect(ran.stdout).toBe('');
  });
});
