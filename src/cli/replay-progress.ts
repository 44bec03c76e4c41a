import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';
import type { Clock } from '../clock/clock.js';
import type { InputProgress } from './replay-input.js';

/** What a replay has done so far. */
export interface ReplayCounts {
  /** Lines read (blank ones included). */
  read: number;
  stored: number;
  /** Already stored, by a live request or an earlier run (I-5). */
  duplicates: number;
  /** Acknowledged without being queued (page, screen, alias, no identity). */
  skipped: number;
  rejected: number;
  /** Valid, but outside `--from`/`--to`. */
  outside: number;
}

/** A fresh set of counts. */
export function zeroCounts(): ReplayCounts {
  return { read: 0, stored: 0, duplicates: 0, skipped: 0, rejected: 0, outside: 0 };
}

/** How the progress is shown: a bar on a terminal, plain periodic lines otherwise. */
export interface ProgressDisplay {
  /** Prints a line (a rejected line's number and reason) without breaking the bar. */
  log(text: string): void;
  /** Stops the bar or the periodic lines; prints nothing else. */
  stop(): void;
}

/** The figures a progress line shows, derived from the counts and the bytes read. */
export interface ProgressFigures {
  readonly linesPerSecond: number;
  /** Share of the input read, 0…1; undefined for stdin. */
  readonly share?: number;
  /** Seconds left at the current rate; undefined for stdin or before any progress. */
  readonly etaSeconds?: number;
}

/** Rate, share done and time left, from the counts, the input's progress and the time spent. */
export function progressFigures(
  counts: ReplayCounts,
  input: InputProgress,
  elapsedMs: number,
): ProgressFigures {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  const linesPerSecond = counts.read / seconds;
  if (input.totalBytes === undefined || input.totalBytes === 0) return { linesPerSecond };
  const share = Math.min(1, input.bytesRead / input.totalBytes);
  if (share === 0) return { linesPerSecond, share };
  return { linesPerSecond, share, etaSeconds: (seconds * (1 - share)) / share };
}

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The counts as one line of text (periodic lines and the summary). */
export function describeCounts(counts: ReplayCounts): string {
  return [
    `read ${number(counts.read)} lines`,
    `stored ${number(counts.stored)}`,
    `duplicates ${number(counts.duplicates)}`,
    `skipped ${number(counts.skipped)}`,
    `rejected ${number(counts.rejected)}`,
    ...(counts.outside > 0 ? [`outside --from/--to ${number(counts.outside)}`] : []),
  ].join(', ');
}

/** A periodic progress line: the counts, the rate, the share read and the time left. */
export function progressLine(counts: ReplayCounts, figures: ProgressFigures): string {
  const rate = `${number(figures.linesPerSecond)} lines/s`;
  const share = figures.share === undefined ? '' : `, ${Math.floor(figures.share * 100)}% read`;
  const eta = figures.etaSeconds === undefined ? '' : `, about ${number(figures.etaSeconds)} s left`;
  return `replay: ${describeCounts(counts)}; ${rate}${share}${eta}`;
}

/** Starts the display: a cli-progress bar when `tty`, else a line every `intervalMs` on `out`. */
export function startProgress(options: {
  readonly out: Writable;
  readonly tty: boolean;
  readonly counts: ReplayCounts;
  readonly input: InputProgress;
  readonly clock: Clock;
  readonly intervalMs: number;
}): ProgressDisplay {
  const { out, counts, input, clock } = options;
  const startedAtMs = clock.now();
  if (!options.tty) {
    const timer = setInterval(() => {
      out.write(`${progressLine(counts, progressFigures(counts, input, clock.now() - startedAtMs))}\n`);
    }, options.intervalMs);
    return { log: (text) => out.write(`${text}\n`), stop: () => clearInterval(timer) };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream: out,
      format: '{bar} {percentage}% | {counts} | {rate} lines/s | ETA {eta}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bar = bars.create(100, 0, { counts: describeCounts(counts), rate: '0', eta: '?' });
  const timer = setInterval(() => {
    const figures = progressFigures(counts, input, clock.now() - startedAtMs);
    bar.update(Math.floor((figures.share ?? 0) * 100), {
      counts: describeCounts(counts),
      rate: number(figures.linesPerSecond),
      eta: figures.etaSeconds === undefined ? '?' : `${number(figures.etaSeconds)} s`,
    });
  }, 200);
  return {
    log: (text) => bars.log(`${text}\n`),
    stop: () => {
      clearInterval(timer);
      bars.stop();
    },
  };
}
