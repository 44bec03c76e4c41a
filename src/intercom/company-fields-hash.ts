import { createHash } from 'node:crypto';
import type { CompanyFields } from './operations.js';

/** JSON with object keys sorted, so equal fields give equal text whatever their order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stable digest of a company upsert body, to skip re-sending identical fields (API frugality). */
export function hashCompanyFields(fields: CompanyFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
