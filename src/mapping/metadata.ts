/**
 * Event metadata rules (C-TR-2..5, C-TR-7), shared by cloud mode and the device-mode plugins (D-8,
 * M-8). Pure and DOM/Node-free.
 *
 * | metadata key        | from                                                                   |
 * |---------------------|------------------------------------------------------------------------|
 * | `price`             | `revenue` (> 0, number or `"$12.50"`) × 100 rounded, `currency` ?? usd |
 * | rich link names     | `{url, value}` objects of properties named in `richLinkProperties`     |
 * | money objects       | `{amount: <integer cents>, currency: <string>}` as given (C-TR-7)      |
 * | any other property  | strings and numbers as is, booleans as `"true"`/`"false"`              |
 * | (dropped)           | `null`, other objects and arrays, non-finite numbers, keys past budget |
 */
import type { JsonObject, JsonValue } from '../segment/json.js';
import { isJsonObject } from '../segment/json.js';
import type { MetadataPrice, MetadataRichLink, MetadataValue } from '../intercom/operations.js';
import { setOwn } from './own-property.js';

/** Settings that shape metadata. */
export interface MetadataOptions {
  /** C-TR-5: property names whose `{url, value}` objects pass through. */
  readonly richLinkProperties: readonly string[];
  /** C-TR-4: how many keys Intercom keeps. */
  readonly maxKeys: number;
}

/** Metadata for `POST /events` and what did not make it. */
export interface MetadataResult {
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  /** C-TR-4: property names left out because of the key budget. */
  readonly dropped: readonly string[];
  /** C-TR-2: property names left out because their value was an object or array. */
  readonly nested: readonly string[];
}

/** `"$1,234.50"`, `"12.5"`, `" 12 "`: an optional dollar sign, optional thousands commas, a decimal point. */
const REVENUE_TEXT = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;

/** C-TR-3: a positive revenue from a number or a numeric string (`"$12.50"` → 12.5); `undefined` otherwise. */
export function parseRevenue(value: JsonValue | undefined): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const match = REVENUE_TEXT.exec(value.trim());
    if (match !== null) n = Number(`${(match[1] ?? '').replaceAll(',', '')}${match[2] ?? ''}`);
  }
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * C-TR-3: revenue in cents, rounded half up on the decimal value the user wrote (19.99 → 1999, never
 * 1998.9999; 1.005 → 101); `undefined` when the result is not a safe integer.
 */
export function revenueToCents(revenue: number): number | undefined {
  // 12 significant digits remove the binary noise of `× 100` before rounding.
  const cents = Math.round(Number((revenue * 100).toPrecision(12)));
  return Number.isSafeInteger(cents) && cents >= 0 ? cents : undefined;
}

/** C-TR-3: the monetary amount for `properties`, or `undefined` without a usable positive revenue. */
export function priceFromProperties(properties: JsonObject): MetadataPrice | undefined {
  const revenue = parseRevenue(properties['revenue']);
  if (revenue === undefined) return undefined;
  const amount = revenueToCents(revenue);
  if (amount === undefined) return undefined;
  const currency = properties['currency'];
  return { amount, currency: typeof currency === 'string' && currency.trim() !== '' ? currency : 'usd' };
}

/** C-TR-5: a `{url, value}` object with string members as a rich link (other keys are left out). */
export function toRichLink(value: JsonValue | undefined): MetadataRichLink | undefined {
  if (!isJsonObject(value)) return undefined;
  const url = value['url'];
  const text = value['value'];
  return typeof url === 'string' && typeof text === 'string' ? { url, value: text } : undefined;
}

/**
 * C-TR-7: a value that already is Intercom's money object, exactly `amount` (a whole number of cents,
 * not negative: Intercom's monetary amount is a price) and `currency` (a non-empty string), as a
 * metadata value; `undefined` for anything else.
 */
export function toMoneyObject(value: JsonValue | undefined): MetadataPrice | undefined {
  if (!isJsonObject(value) || Object.keys(value).length !== 2) return undefined;
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  return Number.isSafeInteger(amount) && (amount as number) >= 0 && typeof currency === 'string' && currency
    ? { amount: amount as number, currency }
    : undefined;
}

/** C-TR-2: one plain property as a metadata value, or `undefined` when it cannot be sent. */
export function toMetadataScalar(value: JsonValue): string | number | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

/**
 * C-TR-2..5, C-TR-7: event metadata from track properties: `price` first, then rich links, then the
 * other properties (scalars and money objects) in the order received, cut to `maxKeys` keys.
 */
export function buildMetadata(properties: JsonObject, options: MetadataOptions): MetadataResult {
  const price = priceFromProperties(properties);
  // A NaN budget keeps nothing, as 0 does: `kept < NaN` is never true.
  const budget = Math.max(0, Math.floor(options.maxKeys));
  const richNames = options.richLinkProperties;
  const links: [string, MetadataRichLink][] = [];
  const plain: [string, MetadataValue][] = [];
  const nested: string[] = [];
  const dropped: string[] = [];
  for (const key in properties) {
    if (!Object.hasOwn(properties, key)) continue;
    const value = properties[key] as JsonValue;
    // C-TR-3, C-TR-7: revenue and currency are in the computed price, and the event's own price gives way.
    if (price !== undefined && (key === 'revenue' || key === 'currency' || key === 'price')) continue;
    const link = richNames.includes(key) ? toRichLink(value) : undefined;
    if (link !== undefined) {
      links.push([key, link]);
      continue;
    }
    const sendable = toMetadataScalar(value) ?? toMoneyObject(value);
    if (sendable !== undefined) plain.push([key, sendable]);
    else if (typeof value === 'object' && value !== null) nested.push(key);
  }
  const metadata: Record<string, MetadataValue> = {};
  let kept = 0;
  for (const entries of [price === undefined ? [] : [['price', price] as const], links, plain]) {
    for (const [key, value] of entries) {
      if (kept < budget) setOwn(metadata, key, value);
      else dropped.push(key);
      kept += 1;
    }
  }
  return { metadata, dropped, nested };
}
