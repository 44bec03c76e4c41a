import type { JsonValue } from './json.js';

/** Longest JSON text of a finite number (`-1.7976931348623157e+308`). */
const MAX_NUMBER_CHARS = 24;
/**
 * Most UTF-8 bytes one UTF-16 unit of a string can become in JSON: a control character is escaped as
 * `\u00XX` (6 bytes); anything else is at most 3 bytes (a surrogate pair, 2 units, is 4).
 */
const MAX_BYTES_PER_UNIT = 6;

/**
 * Whether the JSON text of `value` certainly fits in `maxBytes` UTF-8 bytes, decided from an upper
 * bound walked over the value, without serialising it. `false` means "maybe not": the caller counts
 * exactly. Checking the per-event limit (I-3) this way spares a `JSON.stringify` of every event of a
 * batch, which was the largest single cost of parsing one.
 */
export function fitsJsonBytes(value: JsonValue, maxBytes: number): boolean {
  return remainingAfter(value, maxBytes) >= 0;
}

/** `budget` minus the bound of `value`; stops early (negative) once the budget is spent. */
function remainingAfter(value: JsonValue, budget: number): number {
  if (typeof value === 'string') return budget - 2 - MAX_BYTES_PER_UNIT * value.length;
  if (typeof value !== 'object' || value === null) return budget - MAX_NUMBER_CHARS;
  let left = budget - 2;
  if (Array.isArray(value)) {
    for (const item of value as readonly JsonValue[]) {
      left = remainingAfter(item, left - 1);
      if (left < 0) return left;
    }
    return left;
  }
  const object = value as { readonly [key: string]: JsonValue };
  for (const key in object) {
    const item = object[key];
    // `JSON.parse` output holds no undefined; a value built in code may, and is then left out.
    if (item === undefined) continue;
    left = remainingAfter(item, left - 4 - MAX_BYTES_PER_UNIT * key.length);
    if (left < 0) return left;
  }
  return left;
}

/** UTF-8 size of a value's JSON text: how Segment measures the per-event limit. */
export function jsonByteLength(value: JsonValue): number {
  return utf8ByteLength(JSON.stringify(value));
}

/** UTF-8 size of a string, counted without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
