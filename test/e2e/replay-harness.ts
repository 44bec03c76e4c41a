import { writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { systemClock } from '../../src/clock/clock.js';
import { createReplayCommand } from '../../src/cli/replay-command.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { WRITE_KEY } from './harness.js';

/** The admin credential the replay tests give serve and the replay command. */
export const ADMIN_TOKEN = 'replay-admin-token';

/** What a replay run printed and its exit code. */
export interface ReplayRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the replay command in this process against `ingestUrl`, as `npx intercom-destination replay` would. */
export async function runReplay(ingestUrl: string, args: readonly string[]): Promise<ReplayRun> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const command = createReplayCommand({ clock: systemClock, progressIntervalMs: 100, fetch });
  const env = { SEGMENT_WRITE_KEY: WRITE_KEY, ADMIN_TOKEN, PORT: '0', SANDBOX_PORT: '0' };
  const code = await command(
    ['--url', ingestUrl, ...args],
    env,
    { stdin: Readable.from([]), stdout: out, stderr: err },
    new AbortController().signal,
  );
  return { code, stdout, stderr };
}

/** The summary's counts (`stored 10,000` → 10000). */
export function summaryCount(stdout: string, name: string): number {
  const match = new RegExp(`${name} ([\\d,]+)`).exec(stdout);
  return match?.[1] === undefined ? Number.NaN : Number(match[1].replaceAll(',', ''));
}

/**
 * An archive of `events` Segment events over `users` users, as JSON lines: one identify per user
 * first, then tracks whose `properties.n` numbers them, so each delivered event can be told apart.
 */
export function archiveLines(events: number, users: number, prefix: string): string[] {
  const lines: string[] = [];
  for (let u = 0; u < users; u += 1) {
    lines.push(
      JSON.stringify({
        type: 'identify',
        messageId: `${prefix}-id-${u}`,
        userId: `${prefix}-user-${u}`,
        traits: { email: `${prefix}-${u}@example.com` },
        timestamp: '2024-03-01T00:00:00.000Z',
      }),
    );
  }
  for (let n = 0; lines.length < events; n += 1) {
    lines.push(
      JSON.stringify({
        type: 'track',
        messageId: `${prefix}-tr-${n}`,
        userId: `${prefix}-user-${n % users}`,
        event: 'Archived Order',
        properties: { n },
        timestamp: new Date(Date.UTC(2024, 2, 2) + n * 1000).toISOString(),
      }),
    );
  }
  return lines;
}

/** Writes lines gzipped to `file`. */
export function writeGzip(file: string, lines: readonly string[]): void {
  writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
}

/** The `n` of every delivered event named `name`, counted (a value above 1 was delivered twice). */
export function deliveredNumbers(sandbox: Sandbox, name: string): Map<number, number> {
  const seen = new Map<number, number>();
  for (const event of sandbox.state().events) {
    if (event.event_name !== name) continue;
    const n = Number(event.metadata['n']);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return seen;
}
