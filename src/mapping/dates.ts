/**
 * Date rules (C-ID-3): every date sent to Intercom is integer Unix seconds. Pure and DOM/Node-free:
 * the browser plugin imports this file too.
 */
import type { JsonValue } from '../segment/json.js';

/** Numbers below this are seconds, numbers at or above it are milliseconds (C-ID-3). */
export const MILLISECONDS_THRESHOLD = 1e11;

/** The largest distance from the epoch a JavaScript Date can represent (ECMAScript, ±100,000,000 days). */
const MAX_DATE_MS = 8.64e15;

/** `YYYY-MM-DD`, optionally followed by a time and a zone: the shape Segment libraries serialise dates in. */
const ISO_DATE =
  /^([+-]?\d{4,6})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/i;

/** Only digits (optionally signed, optionally with a fraction): a Unix time sent as a string. */
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;

/** A four-digit year somewhere in the text; V8's lenient parser turns e.g. `"abc 1"` into 2001 without one. */
const HAS_YEAR = /\d{4}/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 31);
}

/** Milliseconds since the epoch of an ISO-8601 date or date-time string, or `undefined` when it is not one. */
function isoDateToMs(value: string): number | undefined {
  // Cheap pre-check: custom attributes send every string through here, and most are not dates.
  const dash = value.indexOf('-', 1);
  if (value.length < 10 || value.length > 40 || dash < 4 || dash > 7) return undefined;
  const match = ISO_DATE.exec(value);
  if (match === null) return undefined;
  // V8 rolls impossible days over (2024-02-30 → March 1); a date that does not exist is not a date.
  if (Number(match[3]) > daysInMonth(Number(match[1]), Number(match[2]))) return undefined;
  // Without a zone, a date-time is local time and a bare date is UTC (ECMAScript's Date.parse rules).
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** True for an ISO-8601 date or date-time string (`2024-01-02`, `2024-01-02T03:04:05.678Z`). */
export function isIsoDateString(value: string): boolean {
  return isoDateToMs(value) !== undefined;
}

/**
 * Converts a number that is either seconds or milliseconds (below 10^11 → seconds) to whole seconds,
 * or `undefined` when it is not finite or outside the range a Date can represent.
 */
export function numberToUnixSeconds(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const ms = value < MILLISECONDS_THRESHOLD ? value * 1000 : value;
  if (Math.abs(ms) > MAX_DATE_MS) return undefined;
  // Floor, not round: 1999 ms after a second is still within that second, as Date#getTime()/1000 would say.
  return Math.floor(ms / 1000) + 0;
}

/** An ISO-8601 date string as whole Unix seconds; `undefined` for any other string (C-ID-4 custom attributes). */
export function isoDateToUnixSeconds(value: string): number | undefined {
  const ms = isoDateToMs(value);
  return ms === undefined ? undefined : numberToUnixSeconds(ms);
}

/**
 * Converts a date string to whole Unix seconds: ISO-8601, a digits-only Unix time, or any other string
 * `Date.parse` accepts that contains a four-digit year; `undefined` otherwise.
 */
export function dateStringToUnixSeconds(value: string): number | undefined {
  const iso = isoDateToMs(value);
  if (iso !== undefined) return numberToUnixSeconds(iso);
  const text = value.trim();
  if (text === '') return undefined;
  if (NUMERIC.test(text)) return numberToUnixSeconds(Number(text));
  const isoTrimmed = text === value ? undefined : isoDateToMs(text);
  if (isoTrimmed !== undefined) return numberToUnixSeconds(isoTrimmed);
  if (ISO_DATE.test(text) || !HAS_YEAR.test(text)) return undefined;
  // Non-ISO strings without a zone are read in the process's time zone, as JavaScript does everywhere.
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? numberToUnixSeconds(ms) : undefined;
}

/**
 * C-ID-3: a Segment date (ISO string, parseable date string, Unix seconds or milliseconds, as a number
 * or a digits-only string) as integer Unix seconds; `undefined` for anything else.
 */
export function toUnixSeconds(value: JsonValue | undefined): number | undefined {
  if (typeof value === 'number') return numberToUnixSeconds(value);
  if (typeof value === 'string') return dateStringToUnixSeconds(value);
  return undefined;
}
