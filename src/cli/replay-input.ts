import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** One line of replay input and where it came from. */
export interface InputLine {
  /** The file's name as given (`-` for stdin). */
  readonly file: string;
  /** 1-based line number within its file. */
  readonly lineNo: number;
  readonly text: string;
}

/** How far the input has been read, for the progress display's share done and time left. */
export interface InputProgress {
  /** Bytes read from disk (compressed bytes of a gzip file). */
  readonly bytesRead: number;
  /** Sum of the files' sizes; undefined when stdin is among the inputs. */
  readonly totalBytes: number | undefined;
}

/** gzip's magic number: the first two bytes of every member (RFC 1952 §2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Whether data starts like gzip; the content decides, never the file's name. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

/**
 * The decoded stream of raw input: the first chunk is looked at, and everything goes through gunzip
 * when it starts with gzip's magic number. `onChunk` sees each raw chunk (bytes read). Backpressure
 * holds throughout, so memory stays bounded whatever the input's size.
 */
export async function decoded(raw: Readable, onChunk: (bytes: number) => void): Promise<Readable> {
  const chunks = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  if (first.done === true) return Readable.from([]);
  const head = first.value;
  async function* all(): AsyncGenerator<Buffer> {
    onChunk(head.length);
    yield head;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      onChunk(next.value.length);
      yield next.value;
    }
  }
  const source = Readable.from(all(), { objectMode: false });
  if (!isGzip(head)) return source;
  const gunzip = createGunzip();
  // A corrupt or cut gzip stream fails the read with its error (which the replay reports).
  pipeline(source, gunzip, () => undefined);
  return gunzip;
}

/** The total size of the files, or undefined when one of them is stdin. */
export async function totalSize(files: readonly string[]): Promise<number | undefined> {
  if (files.includes('-')) return undefined;
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  return sizes.reduce((sum, size) => sum + size, 0);
}

/**
 * Yields every line of the files in order (stdin for `-`), plain or gzip by content, counting the
 * bytes read in `progress`.
 */
export async function* readLines(
  files: readonly string[],
  stdin: Readable,
  progress: { bytesRead: number },
): AsyncGenerator<InputLine> {
  for (const file of files) {
    const raw = file === '-' ? stdin : createReadStream(file, { highWaterMark: 256 * 1024 });
    const input = await decoded(raw, (bytes) => (progress.bytesRead += bytes));
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNo = 0;
    for await (const text of lines) {
      lineNo += 1;
      yield { file, lineNo, text };
    }
  }
}
