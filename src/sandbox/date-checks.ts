import type { Violation } from './openapi-validator.js';
import { isBodyObject } from './body-fields.js';

/** Top-level fields that Intercom reads as Unix seconds. */
const DATE_FIELDS: readonly string[] = ['signed_up_at', 'last_seen_at', 'created_at', 'remote_created_at'];

/** Integers above this are milliseconds, not seconds (10^11 s is the year 5138; C-ID-3). */
const MILLISECONDS_THRESHOLD = 1e11;

/** True for a key Intercom treats as a date by name (`*_at` custom attributes, `*_date` metadata). */
export function isDateNamed(key: string): boolean {
  return key.endsWith('_at') || key.endsWith('_date');
}

/** Why a date value is wrong for Intercom, or undefined when it is integer Unix seconds (or null). */
export function dateProblem(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string')
    return `date given as the string ${JSON.stringify(value)}: Intercom expects integer Unix seconds`;
  if (typeof value !== 'number')
    return `date given as ${typeof value}: Intercom expects integer Unix seconds`;
  if (Math.abs(value) > MILLISECONDS_THRESHOLD)
    return `${value} looks like milliseconds: Intercom expects Unix seconds`;
  if (!Number.isInteger(value)) return `${value} is not an integer: Intercom expects integer Unix seconds`;
  return undefined;
}

/**
 * Flags dates that are strings or look like milliseconds, in the standard date fields of a contact,
 * company or event body and in date-named custom attributes and metadata (intercom-api.md §4.3).
 */
export function checkDates(body: unknown): readonly Violation[] {
  if (!isBodyObject(body)) return [];
  const violations: Violation[] = [];
  for (const field of DATE_FIELDS) {
    const problem = dateProblem(body[field]);
    if (problem !== undefined)
      violations.push({ source: 'semantic', path: `/requestBody/${field}`, message: problem });
  }
  for (const container of ['custom_attributes', 'metadata']) {
    const map = body[container];
    if (!isBodyObject(map)) continue;
    for (const [key, value] of Object.entries(map)) {
      if (!isDateNamed(key)) continue;
      const problem = dateProblem(value);
      if (problem !== undefined) {
        violations.push({ source: 'semantic', path: `/requestBody/${container}/${key}`, message: problem });
      }
    }
  }
  return violations;
}
