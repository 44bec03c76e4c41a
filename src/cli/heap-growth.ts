import { setFlagsFromString } from 'node:v8';
import type { CommandName } from './command-specs.js';

/**
 * How far V8 lets a heap grow past what its last full collection kept, in percent, for the commands
 * that move many events through memory. Left to itself V8 grows a heap by up to four times what is
 * live when allocation is fast, and `serve` and `replay` allocate fast by nature (every event is
 * parsed, checked and serialised once): a million replayed events took `serve` to ~290 MB of RSS with
 * ~50 MB live, and `replay` to ~250 MB. At 50 % both stay under 250 MB at the same replay speed; 20 %
 * saved ~15 MB more but cost live ingestion a quarter of its throughput (more full collections),
 * where 50 % leaves it where it was (bench/RESULTS.md, "Replay of a million events"). The flag is
 * read at each full collection, so setting it as the process starts is enough; it applies to the
 * process's threads too.
 */
export const HEAP_GROWING_PERCENT = 50;

/** The commands whose heaps are bounded this way. */
const BOUNDED: ReadonlySet<CommandName> = new Set(['serve', 'replay']);

/** Bounds V8's heap growth for `command` if it is one of the busy ones; says whether it did. */
export function boundHeapGrowth(command: CommandName): boolean {
  if (!BOUNDED.has(command)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
