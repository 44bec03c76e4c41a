import type { Violation } from './openapi-validator.js';
import { isBodyObject } from './body-fields.js';
import { checkDates } from './date-checks.js';

/**
 * Rules Intercom enforces that the OpenAPI description cannot express: the schema types
 * `custom_attributes` as a free-form object, but Intercom rejects object and array values and
 * attribute names containing `.` or `$` (intercom-api.md §4.4; C-ID-4). Date problems come from date-checks.
 */
export function semanticViolations(body: unknown): readonly Violation[] {
  const violations: Violation[] = [...checkDates(body)];
  if (!isBodyObject(body)) return violations;
  const attributes = body['custom_attributes'];
  if (isBodyObject(attributes)) {
    for (const [key, value] of Object.entries(attributes)) {
      const path = `/requestBody/custom_attributes/${key}`;
      if (typeof value === 'object' && value !== null) {
        const kind = Array.isArray(value) ? 'an array' : 'an object';
        violations.push({
          source: 'semantic',
          path,
          message: `custom attribute '${key}' is ${kind}: Intercom accepts only strings, numbers, booleans and null`,
        });
      }
      if (key.includes('.') || key.includes('$')) {
        violations.push({
          source: 'semantic',
          path,
          message: `custom attribute name '${key}' contains '.' or '$'`,
        });
      }
    }
  }
  return violations;
}
