/**
 * The README's first command on a fresh clone: `npm start` compiles the product and serves the
 * device-mode demo from the compiled sandbox (no `npm run build` before). The demo page, in Chromium,
 * drives the stand-in Messenger (device mode) and sends the same identify through ingestion to the
 * sandbox (cloud mode).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../browser/chromium.js';
import { copyCheckout, linkDependencies } from './checkout-copy.js';
import { eventually } from './harness.js';
import { freePort } from './process.js';

const run = chromiumAvailable();
let clone: string;
let npmStart: ChildProcess | undefined;
let output = '';

beforeAll(() => {
  clone = mkdtempSync(path.join(tmpdir(), 'fresh-clone-'));
  copyCheckout(clone);
  linkDependencies(clone);
});

afterAll(async () => {
  if (npmStart !== undefined && npmStart.exitCode === null) {
    const exited = new Promise((resolve) => npmStart?.once('exit', resolve));
    npmStart.kill('SIGTERM');
    await exited;
  }
  rmSync(clone, { recursive: true, force: true });
});

/** Starts `npm start` in the clone and resolves with the demo page address its banner prints. */
async function startAsReadmeSays(port: number, sandboxPort: number): Promise<string> {
  const child = spawn('npm', ['start'], {
    cwd: clone,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? clone,
      PORT: String(port),
      SANDBOX_PORT: String(sandboxPort),
      DATA_DIR: path.join(clone, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  npmStart = child;
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      return /Device-mode demo\s+(\S+)/.exec(output)?.[1];
    },
    60_000,
    'the banner of npm start',
  );
}

describe.runIf(run)('a fresh clone: npm start, then the demo page', () => {
  it('D-4, I-1: the compiled demo drives the Messenger and its identify reaches the sandbox', async () => {
    expect(existsSync(path.join(clone, 'dist'))).toBe(false);
    const port = await freePort();
    const sandboxPort = await freePort();
    const demoUrl = await startAsReadmeSays(port, sandboxPort);
    expect(existsSync(path.join(clone, 'dist', 'node', 'sandbox', 'messenger', 'demo.js'))).toBe(true);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const script = await fetch(new URL('/demo/demo.js', demoUrl));
      expect(script.status).toBe(200);
      await page.goto(demoUrl);
      await page.waitForFunction(() => 'analytics' in globalThis);
      await page.click('[data-action="identify-ada"]');

      const appId = new URL(demoUrl).searchParams.get('appId') ?? 'demo-app';
      const calls = await eventually(async () => {
        const answer = await fetch(`http://127.0.0.1:${sandboxPort}/widget/${appId}/calls`);
        const body = (await answer.json()) as { calls: { method: string; args: unknown[] }[] };
        return body.calls.some((call) => call.method === 'boot' || call.method === 'update')
          ? body.calls
          : undefined;
      });
      expect(calls.map((call) => call.method)).toContain('boot');
      expect(JSON.stringify(calls)).toContain('"user_id":"ada"');
      await page.locator('#calls').getByText('boot').first().waitFor();

      const state = await eventually(
        async () => {
          const answer = await fetch(`http://127.0.0.1:${sandboxPort}/sandbox/state`);
          const body = (await answer.json()) as { contacts: { external_id: string | null }[] };
          return body.contacts.length > 0 ? body : undefined;
        },
        20_000,
        'the identify delivered through ingestion',
      );
      expect(state.contacts).toEqual([expect.objectContaining({ external_id: 'ada' })]);
    } finally {
      await browser.close();
    }
  }, 180_000);
});
