import { createHash } from 'node:crypto';
import type { SegmentEvent } from '../segment/event.js';
import { isJsonObject, type JsonObject } from '../segment/json.js';
import { orderingKey } from '../segment/ordering-key.js';
import { parseEvent } from '../segment/parse-event.js';
import { describeIssues } from '../segment/parse-issue.js';

/** What one line of a replay file is. */
export type LineVerdict =
  | { readonly kind: 'blank' }
  | { readonly kind: 'rejected'; readonly reason: string }
  /** Valid, but its timestamp lies outside `--from`/`--to`. */
  | { readonly kind: 'outside' }
  | {
      readonly kind: 'event';
      /** The line as sent: the original JSON, or with the messageId it lacked. */
      readonly json: string;
      readonly event: SegmentEvent;
      /** C-RACE-1 lane: lines of one lane are sent in order, on one connection. */
      readonly laneKey: string;
    };

/** The event-time window of `--from` (inclusive) and `--to` (exclusive), Unix ms. */
export interface TimeWindow {
  readonly fromMs?: number;
  readonly toMs?: number;
}

/**
 * A dead letter as `dlq list --json` prints it holds the event under `event` (an object, where a
 * track's `event` is its name): such a line replays its event.
 */
function unwrapDeadLetter(value: JsonObject): JsonObject {
  const inner = value['event'];
  return value['type'] === undefined && isJsonObject(inner) ? inner : value;
}

/**
 * A replayed event needs a messageId that is the same on every run, so a re-run after an interruption
 * finds it a duplicate (I-5): a line without one gets the hash of its text.
 */
export function replayMessageId(text: string): string {
  return `replay-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/**
 * Judges one line as live ingestion would (I-3 size, JSON, the event's fields and its I-6 timestamp),
 * so bad lines are reported with their number here; the server checks again on the way in.
 */
export function judgeLine(text: string, window: TimeWindow, maxEventBytes: number): LineVerdict {
  if (text.trim() === '') return { kind: 'blank' };
  const bytes = Buffer.byteLength(text);
  if (bytes > maxEventBytes) {
    return { kind: 'rejected', reason: `event is ${bytes} bytes, over the ${maxEventBytes / 1024} KB limit` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    return {
      kind: 'rejected',
      reason: `invalid JSON: ${error instanceof Error ? error.message : 'unreadable'}`,
    };
  }
  if (!isJsonObject(value)) return { kind: 'rejected', reason: 'a line must be a JSON object' };
  let raw = unwrapDeadLetter(value);
  let json = raw === value ? text : JSON.stringify(raw);
  const id = raw['messageId'];
  if (typeof id !== 'string' || id === '') {
    raw = { ...raw, messageId: replayMessageId(text) };
    json = JSON.stringify(raw);
  }
  const result = parseEvent(raw);
  if (!result.ok) return { kind: 'rejected', reason: describeIssues(result.issues) };
  const atMs = Date.parse(result.event.timestamp);
  if (
    (window.fromMs !== undefined && atMs < window.fromMs) ||
    (window.toMs !== undefined && atMs >= window.toMs)
  ) {
    return { kind: 'outside' };
  }
  const laneKey = orderingKey(result.event) ?? `m:${result.event.messageId}`;
  return { kind: 'event', json, event: result.event, laneKey };
}
