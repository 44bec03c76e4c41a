/**
 * `replay`: backfills Segment events from JSON-lines files (plain or gzip, or stdin) into the running
 * product (L-5). Each line is checked here, so bad lines are reported with their number, and sent to
 * `POST /v1/replay` of the running `serve`, which stores it as it stores live traffic (validation,
 * I-6, skip rules, I-5 dedupe, C-RACE-1 lanes) but marked replayed. Going through `serve` keeps one
 * writer per SQLite queue and works the same on PostgreSQL (see README, "Replay and backfill").
 */
import { parseArgs } from 'node:util';
import { type Clock, systemClock } from '../clock/clock.js';
import { mapEvent } from '../mapping/map-event.js';
import type { Command, CommandIo } from './command.js';
import { COMMAND_SPECS } from './command-specs.js';
import { ConfigError, readServeConfig, type ServeConfig } from './config.js';
import { readLines, totalSize } from './replay-input.js';
import { judgeLine, type TimeWindow } from './replay-lines.js';
import {
  describeCounts,
  type ProgressDisplay,
  type ReplayCounts,
  startProgress,
  zeroCounts,
} from './replay-progress.js';
import {
  createBatchPoster,
  DEFAULT_SENDER_OPTIONS,
  ReplayRequestError,
  ReplaySender,
} from './replay-sender.js';

const USAGE = COMMAND_SPECS.replay.help;

/** What the replay command needs from outside; injected so tests pin the clock and the interval. */
export interface ReplayDependencies {
  readonly clock: Clock;
  /** Seconds between plain progress lines (not on a terminal). */
  readonly progressIntervalMs: number;
  readonly fetch: typeof fetch;
}

/** Segment's per-event limit (I-3), as the server applies it. */
const MAX_EVENT_BYTES = 32 * 1024;

const DEFAULT_DEPENDENCIES: ReplayDependencies = {
  clock: systemClock,
  progressIntervalMs: 5_000,
  fetch: (input, init) => fetch(input, init),
};

interface ReplayRequest {
  readonly files: readonly string[];
  readonly destinationId?: string;
  readonly sourceId?: string;
  readonly window: TimeWindow;
  readonly dryRun: boolean;
  readonly url?: string;
  readonly connections: number;
  readonly batchEvents: number;
}

function timeOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`--${name} must be a date, e.g. 2024-05-01T00:00:00Z`);
  return ms;
}

function parseRequest(args: readonly string[]): ReplayRequest {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: COMMAND_SPECS.replay.options,
  });
  const connections = Number(values.connections ?? DEFAULT_SENDER_OPTIONS.partitions);
  if (!Number.isInteger(connections) || connections < 1 || connections > 16)
    throw new TypeError('--connections must be a whole number from 1 to 16');
  const batchEvents = Number(values['batch-events'] ?? DEFAULT_SENDER_OPTIONS.maxBatchEvents);
  if (
    !Number.isInteger(batchEvents) ||
    batchEvents < 1 ||
    batchEvents > DEFAULT_SENDER_OPTIONS.maxBatchEvents
  )
    throw new TypeError(
      `--batch-events must be a whole number from 1 to ${DEFAULT_SENDER_OPTIONS.maxBatchEvents}`,
    );
  const fromMs = timeOption(values.from, 'from');
  const toMs = timeOption(values.to, 'to');
  return {
    files: positionals.length === 0 ? ['-'] : positionals,
    ...(values.destination === undefined ? {} : { destinationId: values.destination }),
    ...(values.source === undefined ? {} : { sourceId: values.source }),
    window: { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) },
    dryRun: values['dry-run'] === true,
    ...(values.url === undefined ? {} : { url: values.url }),
    connections,
    batchEvents,
  };
}

/** The running serve's address as this environment configures it. */
function serveUrl(config: ServeConfig): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** `replay`: see the module comment. */
export function createReplayCommand(deps: ReplayDependencies = DEFAULT_DEPENDENCIES): Command {
  return async (args, env, io, signal) => {
    let request: ReplayRequest;
    let config: ServeConfig;
    try {
      request = parseRequest(args);
      config = readServeConfig(env, process.cwd());
    } catch (error: unknown) {
      const message =
        error instanceof ConfigError || error instanceof TypeError ? error.message : String(error);
      io.stderr.write(`${message}\n${error instanceof ConfigError ? '' : USAGE}`);
      return 2;
    }
    const destination = config.destinations.find((d) =>
      request.destinationId === undefined ? config.destinations.length === 1 : d.id === request.destinationId,
    );
    if (destination === undefined) {
      io.stderr.write(
        `name a configured destination with --destination (${config.destinations.map((d) => d.id).join(', ')})\n`,
      );
      return 2;
    }
    if (!request.dryRun && config.console.adminToken === undefined) {
      io.stderr.write(
        "replay sends to the running serve's /v1/replay: set ADMIN_TOKEN (the same as serve's)\n",
      );
      return 2;
    }
    return runReplay({ request, config, destinationId: destination.id, io, signal, deps });
  };
}

interface ReplayRun {
  readonly request: ReplayRequest;
  readonly config: ServeConfig;
  readonly destinationId: string;
  readonly io: CommandIo;
  readonly signal: AbortSignal;
  readonly deps: ReplayDependencies;
}

/** The sender of a run: batches to the running serve, whose answers are added to `counts`. */
function createSender(run: ReplayRun, counts: ReplayCounts, display: ProgressDisplay): ReplaySender {
  const { request, config, destinationId, deps } = run;
  const endpoint = {
    url: request.url ?? serveUrl(config),
    adminToken: config.console.adminToken ?? '',
    destinationId,
    ...(request.sourceId === undefined ? {} : { sourceId: request.sourceId }),
  };
  return new ReplaySender(
    createBatchPoster(endpoint, deps.fetch),
    { ...DEFAULT_SENDER_OPTIONS, partitions: request.connections, maxBatchEvents: request.batchEvents },
    (lines, answer) => {
      counts.stored += answer.stored;
      counts.duplicates += answer.duplicates;
      counts.skipped += answer.skipped;
      counts.rejected += answer.rejected.length;
      for (const { index, reason } of answer.rejected) {
        const line = lines[index];
        if (line !== undefined) display.log(`${line.file}:${line.lineNo}: rejected by the server: ${reason}`);
      }
    },
  );
}

/** Reads and judges every line, sending events (or, in a dry run, counting what would be sent). */
async function replayLines(
  run: ReplayRun,
  counts: ReplayCounts,
  display: ProgressDisplay,
  input: { bytesRead: number },
): Promise<void> {
  const { request, config, destinationId, io } = run;
  const mapping = config.destinations.find((d) => d.id === destinationId)?.mapping;
  const sender = createSender(run, counts, display);
  for await (const line of readLines(request.files, io.stdin, input)) {
    if (run.signal.aborted) break;
    counts.read += 1;
    const verdict = judgeLine(line.text, request.window, MAX_EVENT_BYTES);
    if (verdict.kind === 'rejected') {
      counts.rejected += 1;
      display.log(`${line.file}:${line.lineNo}: ${verdict.reason}`);
    } else if (verdict.kind === 'outside') {
      counts.outside += 1;
    } else if (verdict.kind === 'event') {
      if (!request.dryRun) await sender.add(line, verdict.json, verdict.laneKey);
      else if (mapping !== undefined && mapEvent(verdict.event, mapping).kind === 'skip') counts.skipped += 1;
      else counts.stored += 1;
    }
  }
  await sender.flush();
}

/** Reads, checks, sends and counts every line; prints the summary; resolves to the exit code. */
async function runReplay(run: ReplayRun): Promise<number> {
  const { request, io, deps } = run;
  const counts: ReplayCounts = zeroCounts();
  const input = { bytesRead: 0, totalBytes: await totalSize(request.files).catch(() => undefined) };
  const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
  const display = startProgress({
    out: io.stderr,
    tty,
    counts,
    input,
    clock: deps.clock,
    intervalMs: deps.progressIntervalMs,
  });
  const startedAtMs = deps.clock.now();
  try {
    await replayLines(run, counts, display, input);
  } catch (error: unknown) {
    display.stop();
    const message = error instanceof ReplayRequestError ? error.message : `replay failed: ${String(error)}`;
    io.stderr.write(`${message}\n${describeCounts(counts)}\n`);
    return 2;
  }
  display.stop();
  const seconds = (deps.clock.now() - startedAtMs) / 1000;
  const rate = Math.round(counts.read / Math.max(seconds, 0.001)).toLocaleString('en-US');
  const what = request.dryRun ? 'dry run (nothing sent; "stored" = would be sent)' : 'replay';
  const stopped = run.signal.aborted ? ' (interrupted: run it again to go on)' : '';
  io.stdout.write(
    `${what} done in ${seconds.toFixed(1)} s${stopped}: ${describeCounts(counts)}; ${rate} lines/s\n`,
  );
  return counts.rejected > 0 ? 1 : 0;
}

/** The `replay` command with the real clock and `fetch`. */
export const replayCommand: Command = createReplayCommand();
