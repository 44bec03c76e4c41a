import { isJsonObject, type JsonObject } from './json.js';
import type { ParseIssue } from './parse-issue.js';
import { parseDateMs } from './timestamps.js';

/**
 * Reads typed fields of one raw event, recording an issue for each field of the wrong shape.
 * `null` counts as absent everywhere: Segment's libraries send `null` for unset optional fields.
 */
export interface EventFields {
  /** An identifier: a non-empty string, or a finite number converted to its decimal string. */
  id(key: string): string | undefined;
  /** A JSON object (traits, properties, context, integrations). */
  object(key: string): JsonObject | undefined;
  /** A plain string (page name, category). */
  text(key: string): string | undefined;
  /** A date string `Date.parse` understands, returned as given. */
  date(key: string): string | undefined;
}

/** Creates the field reader for `raw`, appending problems to `issues`. */
export function createEventFields(raw: JsonObject, issues: ParseIssue[]): EventFields {
  return {
    id(key) {
      const value = raw[key];
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value === 'string') return value;
      // Segment's libraries send strings, but hand-written callers often send numeric ids; Segment keeps them as strings.
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      issues.push({ path: key, code: 'invalid_id', message: `${key} must be a string` });
      return undefined;
    },
    object(key) {
      const value = raw[key];
      if (value === undefined || value === null) return undefined;
      if (isJsonObject(value)) return value;
      issues.push({ path: key, code: 'invalid_object', message: `${key} must be an object` });
      return undefined;
    },
    text(key) {
      const value = raw[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string') return value;
      issues.push({ path: key, code: 'invalid_string', message: `${key} must be a string` });
      return undefined;
    },
    date(key) {
      const value = raw[key];
      if (value === undefined || value === null) return undefined;
      if (typeof value === 'string' && parseDateMs(value) !== undefined) return value;
      issues.push({
        path: key,
        code: 'invalid_timestamp',
        message: `${key} must be an ISO-8601 date string`,
      });
      return undefined;
    },
  };
}
