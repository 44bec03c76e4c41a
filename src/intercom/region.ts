/** Intercom hosting regions, each with its own REST API host (intercom-api.md §8). */
export type Region = 'us' | 'eu' | 'au';

const BASE_URLS: Readonly<Record<Region, string>> = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
};

/** True when `value` names a supported region. */
export function isRegion(value: unknown): value is Region {
  return value === 'us' || value === 'eu' || value === 'au';
}

/** The REST API base URL (no trailing slash) of a region. */
export function regionBaseUrl(region: Region): string {
  return BASE_URLS[region];
}
