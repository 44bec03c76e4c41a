import { describe, expect, it } from 'vitest';
import { isRegion, regionBaseUrl } from './region.js';

describe('regionBaseUrl (settings table: region)', () => {
  it.each([
    ['us', 'https://api.intercom.io'],
    ['eu', 'https://api.eu.intercom.io'],
    ['au', 'https://api.au.intercom.io'],
  ] as const)('maps %s to %s', (region, url) => {
    expect(regionBaseUrl(region)).toBe(url);
  });

  it.each([
    ['us', true],
    ['eu', true],
    ['au', true],
    ['ap', false],
    ['US', false],
    ['', false],
    [undefined, false],
  ])('isRegion(%j) is %s', (value, expected) => {
    expect(isRegion(value)).toBe(expected);
  });
});
