/**
 * The production path of the README and the Dockerfile, run in fresh folders: a build folder (a fresh
 * clone) makes `dist/` with `npm run build`; an install folder gets only package.json, the lock file
 * and that `dist/`, installs with `npm ci --omit=dev` (no compiler, no test tools), and starts with the
 * Dockerfile's command. The test reads those commands from the Dockerfile, so the image and this test
 * cannot drift apart.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCheckout, linkDependencies, REPO_ROOT } from './checkout-copy.js';
import { parseDockerfile } from './dockerfile.js';
import { basicAuth, eventually } from './harness.js';
import { freePort } from './process.js';

const dockerfile = parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
let work: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'production-install-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Runs one shell-free command line of the Dockerfile (`npm ci --omit=dev`) in `cwd`. */
function runCommand(commandLine: string, cwd: string): void {
  const [file, ...args] = commandLine.split(' ');
  execFileSync(file ?? '', args, {
    cwd,
    stdio: 'pipe',
    env: {
      ...process.env,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
}

describe('the production install (README and Dockerfile)', () => {
  it('uses one install, build and start command set, run as a non-root user with a health check and a data volume', () => {
    expect(dockerfile.runs).toContain('npm ci --omit=dev');
    expect(dockerfile.runs).toContain('npm run build');
    expect(dockerfile.cmd).toEqual(['node', '--max-semi-space-size=4', 'dist/node/cli/main.js', 'serve']);
    expect(dockerfile.user).toBe('node');
    expect(dockerfile.volumes).toContain('/data');
    expect(dockerfile.healthcheck).toContain('/health');
    expect(dockerfile.stages).toBeGreaterThanOrEqual(2);
  });

  it('serves and delivers to the sandbox from npm ci --omit=dev and a prebuilt dist/', async () => {
    const build = path.join(work, 'build');
    mkdirSync(build);
    copyCheckout(build);
    linkDependencies(build);
    runCommand('npm run build', build);

    const app = path.join(work, 'app');
    mkdirSync(app);
    for (const file of ['package.json', 'package-lock.json'])
      copyFileSync(path.join(build, file), path.join(app, file));
    runCommand('npm ci --omit=dev', app);
    cpSync(path.join(build, 'dist'), path.join(app, 'dist'), { recursive: true });
    // Only the runtime dependencies: no compiler, no test tools.
    expect(existsSync(path.join(app, 'node_modules', 'esbuild'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules', 'better-sqlite3'))).toBe(true);

    const port = await freePort();
    const sandboxPort = await freePort();
    const [command = 'node', ...args] = dockerfile.cmd;
    const child = spawn(command, args, {
      cwd: app,
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(port),
        SANDBOX_PORT: String(sandboxPort),
        DATA_DIR: path.join(app, 'data'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(
        () => (output.includes('Segment ingestion') ? true : undefined),
        30_000,
        `serve's banner:\n${output}`,
      );
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const response = await fetch(`${base}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth('local-write-key') },
        body: JSON.stringify({
          batch: [
            {
              type: 'identify',
              messageId: 'prod-1',
              userId: 'prod-user',
              traits: { email: 'prod@example.com' },
            },
            { type: 'track', messageId: 'prod-2', userId: 'prod-user', event: 'Installed For Production' },
          ],
        }),
      });
      expect(response.status).toBe(200);
      const state = await eventually(async () => {
        const body = (await (await fetch(`http://127.0.0.1:${sandboxPort}/sandbox/state`)).json()) as {
          contacts: { external_id: string | null }[];
          events: { event_name: string }[];
        };
        return body.events.length > 0 ? body : undefined;
      });
      expect(state.contacts).toEqual([expect.objectContaining({ external_id: 'prod-user' })]);
      expect(state.events).toEqual([expect.objectContaining({ event_name: 'Installed For Production' })]);
      expect((await fetch(`http://127.0.0.1:${sandboxPort}/demo/demo.js`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 600_000);
});
