import type { InputLine } from './replay-input.js';

/** What the server answered for one replayed batch. */
export interface BatchAnswer {
  readonly stored: number;
  readonly duplicates: number;
  readonly skipped: number;
  /** Events the server refused, by their index in the batch. */
  readonly rejected: readonly { readonly index: number; readonly reason: string }[];
}

/** Sends one batch body; resolves to the server's counts, rejects with `ReplayRequestError` for good. */
export type PostBatch = (body: string) => Promise<BatchAnswer>;

/** A replay request the server refused for good (admin credential, unknown source, bad request). */
export class ReplayRequestError extends Error {
  override readonly name = 'ReplayRequestError';
}

/** Where a replay sends its batches. */
export interface ReplayEndpoint {
  /** The running `serve`'s base URL. */
  readonly url: string;
  readonly adminToken: string;
  readonly sourceId?: string;
  readonly destinationId?: string;
}

/** Waits between tries while the server is busy or restarting: 0.5 s doubling to 10 s, 12 tries. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000];

function isAnswer(value: unknown): value is BatchAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    'stored' in value &&
    typeof value.stored === 'number' &&
    'rejected' in value &&
    Array.isArray(value.rejected)
  );
}

/**
 * Posts batches to `POST /v1/replay` of a running `serve`. A 503 (store unavailable, server busy) or a
 * lost connection is tried again with the same body, which is safe: the server dedupes by messageId
 * (I-5). Any other refusal stops the replay with the server's message.
 */
export function createBatchPoster(
  endpoint: ReplayEndpoint,
  fetchFn: typeof fetch = fetch,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): PostBatch {
  const url = new URL('/v1/replay', endpoint.url);
  if (endpoint.sourceId !== undefined) url.searchParams.set('source', endpoint.sourceId);
  if (endpoint.destinationId !== undefined) url.searchParams.set('destination', endpoint.destinationId);
  const headers = { authorization: `Bearer ${endpoint.adminToken}`, 'content-type': 'application/json' };
  return async (body) => {
    for (let attempt = 0; ; attempt += 1) {
      let status = 0;
      let text = '';
      try {
        const response = await fetchFn(url, { method: 'POST', headers, body });
        status = response.status;
        text = await response.text();
      } catch (error: unknown) {
        text = error instanceof Error ? error.message : 'request failed';
      }
      if (status === 200) {
        const answer: unknown = JSON.parse(text);
        if (!isAnswer(answer))
          throw new ReplayRequestError('the server answered something else than a replay');
        return answer;
      }
      const delay = RETRY_DELAYS_MS[attempt];
      if ((status === 0 || status === 503) && delay !== undefined) {
        await sleep(delay);
        continue;
      }
      throw new ReplayRequestError(`the server refused the replay (${status || 'no answer'}): ${text}`);
    }
  };
}

/** One line waiting in a batch. */
interface Pending {
  readonly line: InputLine;
  readonly json: string;
}

interface Partition {
  pending: Pending[];
  bytes: number;
  /** The batch in flight, if any: at most one per partition, so its lanes stay in order. */
  inFlight: Promise<void> | undefined;
}

/** Tunables of the sender. */
export interface SenderOptions {
  /** Connections in parallel; each carries a fixed share of the lanes. */
  readonly partitions: number;
  /** Body bytes per batch, under the server's 4 MB limit for replayed batches. */
  readonly maxBatchBytes: number;
  readonly maxBatchEvents: number;
}

/**
 * Defaults: two connections, batches of up to ~3.7 MB or 10,000 events (the server takes up to 4 MB
 * on its replay route). The server commits what is in flight together, so large batches make large
 * commits (with 2 connections, mostly one batch each while the other is parsed): 10,000-event
 * batches stored a million events about 1.5 times as fast as 2,000-event ones (bench/RESULTS.md,
 * "Replay of a million events").
 */
export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  partitions: 2,
  maxBatchBytes: 3800 * 1024,
  maxBatchEvents: 10_000,
};

/** FNV-1a of a lane key: which partition (connection) carries the lane. */
function partitionOf(laneKey: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < laneKey.length; i += 1) hash = Math.imul(hash ^ laneKey.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

/**
 * Batches replayed lines and sends them. Lanes are spread over a few connections, each sending its
 * batches one at a time, so every user's events are stored in file order (C-RACE-1) while batches of
 * different users overlap. At most two batches per connection are held in memory.
 */
export class ReplaySender {
  readonly #post: PostBatch;
  readonly #options: SenderOptions;
  readonly #onAnswer: (lines: readonly InputLine[], answer: BatchAnswer) => void;
  readonly #partitions: Partition[];
  #failure: Error | undefined;

  constructor(
    post: PostBatch,
    options: SenderOptions,
    onAnswer: (lines: readonly InputLine[], answer: BatchAnswer) => void,
  ) {
    this.#post = post;
    this.#options = options;
    this.#onAnswer = onAnswer;
    this.#partitions = Array.from({ length: Math.max(1, options.partitions) }, () => ({
      pending: [],
      bytes: 0,
      inFlight: undefined,
    }));
  }

  /** Adds a line to its lane's batch; waits while that connection already has a batch in flight and one full. */
  async add(line: InputLine, json: string, laneKey: string): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const partition = this.#partitions[partitionOf(laneKey, this.#partitions.length)];
    if (partition === undefined) return;
    const bytes = Buffer.byteLength(json) + 1;
    const full =
      partition.pending.length >= this.#options.maxBatchEvents ||
      partition.bytes + bytes > this.#options.maxBatchBytes;
    if (full) await this.#dispatch(partition);
    partition.pending.push({ line, json });
    partition.bytes += bytes;
  }

  /** Sends what is still batched and waits for every answer. */
  async flush(): Promise<void> {
    for (const partition of this.#partitions) await this.#dispatch(partition);
    await Promise.all(this.#partitions.flatMap((partition) => partition.inFlight ?? []));
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #dispatch(partition: Partition): Promise<void> {
    if (partition.pending.length === 0) return;
    await partition.inFlight;
    if (this.#failure !== undefined) throw this.#failure;
    const batch = partition.pending;
    partition.pending = [];
    partition.bytes = 0;
    const body = `{"batch":[${batch.map((entry) => entry.json).join(',')}]}`;
    partition.inFlight = this.#post(body).then(
      (answer) =>
        this.#onAnswer(
          batch.map((entry) => entry.line),
          answer,
        ),
      (error: unknown) => {
        this.#failure ??= error instanceof Error ? error : new ReplayRequestError(String(error));
      },
    );
  }
}
