/**
 * The human-readable text of the mapping warnings that the browser plugin's shared rules can raise.
 * Kept in one module so the browser build can swap it for empty texts: device mode discards warnings,
 * and these bytes would otherwise ship to every page (scripts/build-browser.mjs).
 */
export const WARNING_DETAILS = {
  invalidAttributeName: 'Intercom attribute names may not be empty or contain "." or "$"',
  nestedAttribute: 'objects and arrays cannot be stored as custom attributes',
  notFinite: 'not a finite number',
  notInt32: 'not a number Intercom can store as a 32-bit integer',
  companyWithoutId: 'a company needs an id, company_id, companyId or name',
  invalidDate: 'not a date Intercom can store',
} as const;
