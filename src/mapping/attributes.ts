/**
 * Custom attribute rules (C-ID-4): scalar values only, `null` clears, ISO date strings become Unix
 * seconds, keys with `.` or `$` are dropped; plus the Intercom data type of each value so a missing
 * attribute can be created. DOM/Node-free: the browser plugin uses it too.
 */
import type { JsonObject, JsonValue } from '../segment/json.js';
import type { AttributeValue, DataAttributeType, MappingWarning } from '../intercom/operations.js';
import { isoDateToUnixSeconds } from './dates.js';
import { setOwn } from './own-property.js';
import { WARNING_DETAILS } from './warning-details.js';

/** One custom attribute value ready for Intercom, with its inferred data type (none for `null`). */
export interface ScalarAttribute {
  readonly value: AttributeValue;
  readonly type: DataAttributeType | undefined;
}

/** Custom attributes kept from a source object, their types, and what was dropped and why. */
export interface CustomAttributes {
  /** A fresh object owned by the caller (it may add more attributes). */
  readonly attributes: Record<string, AttributeValue>;
  /** A fresh object owned by the caller. */
  readonly types: Record<string, DataAttributeType>;
  /** How many attributes were kept. */
  readonly count: number;
  readonly warnings: readonly MappingWarning[];
}

/** Intercom rejects attribute names containing `.` or `$` (intercom-api.md §4.4); empty names are meaningless. */
export function isValidAttributeName(name: string): boolean {
  return name !== '' && !name.includes('.') && !name.includes('$');
}

/** The Intercom data type for a scalar value; `undefined` for `null`, which has no type of its own. */
export function inferAttributeType(value: AttributeValue): DataAttributeType | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return Number.isInteger(value) ? 'integer' : 'float';
}

/**
 * A JSON value as a custom attribute value: ISO date strings become Unix seconds (type `date`),
 * objects, arrays and non-finite numbers give `undefined` (they cannot be stored).
 */
export function toScalarAttribute(value: JsonValue): ScalarAttribute | undefined {
  if (value === null) return { value: null, type: undefined };
  if (typeof value === 'string') {
    const seconds = isoDateToUnixSeconds(value);
    return seconds === undefined ? { value, type: 'string' } : { value: seconds, type: 'date' };
  }
  if (typeof value === 'number') {
    // -0 + 0 is 0: JSON has no negative zero and Intercom should not see one.
    return Number.isFinite(value) ? { value: value + 0, type: inferAttributeType(value) } : undefined;
  }
  if (typeof value === 'boolean') return { value, type: 'boolean' };
  return undefined;
}

/** Builds one warning about a dropped custom attribute. */
function dropWarning(field: string, key: string, value: JsonValue): MappingWarning {
  if (!isValidAttributeName(key)) {
    return {
      code: 'dropped_invalid_key',
      field,
      detail: WARNING_DETAILS.invalidAttributeName,
    };
  }
  if (typeof value === 'object' && value !== null) {
    return {
      code: 'dropped_nested_value',
      field,
      detail: WARNING_DETAILS.nestedAttribute,
    };
  }
  return { code: 'dropped_invalid_value', field, detail: WARNING_DETAILS.notFinite };
}

/**
 * C-ID-4: every key of `source` not in `excluded` (or that is `kept`, unless that is `false`) as a
 * custom attribute, dropping nested values and invalid names with a warning whose field is
 * `${fieldPrefix}.${key}`.
 */
export function mapCustomAttributes(
  source: JsonObject,
  excluded: ReadonlySet<string>,
  fieldPrefix: string,
  kept: string | false = false,
): CustomAttributes {
  const attributes: Record<string, AttributeValue> = {};
  const types: Record<string, DataAttributeType> = {};
  const warnings: MappingWarning[] = [];
  let count = 0;
  for (const key in source) {
    if (!Object.hasOwn(source, key) || (excluded.has(key) && key !== kept)) continue;
    const raw = source[key] as JsonValue;
    const scalar = isValidAttributeName(key) ? toScalarAttribute(raw) : undefined;
    if (scalar === undefined) {
      warnings.push(dropWarning(`${fieldPrefix}.${key}`, key, raw));
      continue;
    }
    setOwn(attributes, key, scalar.value);
    if (scalar.type !== undefined) setOwn(types, key, scalar.type);
    count += 1;
  }
  return { attributes, types, count, warnings };
}
