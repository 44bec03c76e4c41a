import { describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING_SETTINGS } from '../mapping/settings.js';
import { parseMappingSettings } from './mapping-settings-config.js';

describe('parseMappingSettings', () => {
  it('keeps the defaults when nothing is set', () => {
    expect(parseMappingSettings({})).toEqual({ settings: DEFAULT_MAPPING_SETTINGS });
  });

  it('treats empty values as unset', () => {
    expect(
      parseMappingSettings({ INTERCOM_COLLECT_CONTEXT: '', INTERCOM_MAX_EVENT_METADATA_KEYS: ' ' }),
    ).toEqual({
      settings: DEFAULT_MAPPING_SETTINGS,
    });
  });

  it('C-ID-12 C-TR-4 C-TR-5 C-IDN-5 reads every setting', () => {
    expect(
      parseMappingSettings({
        INTERCOM_COLLECT_CONTEXT: 'TRUE',
        INTERCOM_RICH_LINK_PROPERTIES: ' article, invoice ,,',
        INTERCOM_MAX_EVENT_METADATA_KEYS: '20',
        INTERCOM_CREATE_MISSING_ATTRIBUTES: 'off',
        INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: ' Lead ',
      }),
    ).toEqual({
      settings: {
        collectContext: true,
        richLinkProperties: ['article', 'invoice'],
        maxEventMetadataKeys: 20,
        createMissingAttributes: false,
        contactRoleWithoutUserId: 'lead',
      },
    });
  });

  it('C-IDN-5 a contact without userId is a user by default, as in Segment', () => {
    expect(DEFAULT_MAPPING_SETTINGS.contactRoleWithoutUserId).toBe('user');
    expect(parseMappingSettings({ INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'user' })).toEqual({
      settings: DEFAULT_MAPPING_SETTINGS,
    });
  });

  it.each(['1', 'yes', 'on', 'true'])('accepts %j as true', (raw) => {
    expect(parseMappingSettings({ INTERCOM_COLLECT_CONTEXT: raw })).toEqual({
      settings: { ...DEFAULT_MAPPING_SETTINGS, collectContext: true },
    });
  });

  it('reports every invalid value at once', () => {
    const result = parseMappingSettings({
      INTERCOM_COLLECT_CONTEXT: 'maybe',
      INTERCOM_MAX_EVENT_METADATA_KEYS: '-1',
      INTERCOM_CREATE_MISSING_ATTRIBUTES: 'sometimes',
      INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID: 'visitor',
    });
    expect(result).toEqual({
      errors: [
        'INTERCOM_COLLECT_CONTEXT must be true or false, got "maybe"',
        'INTERCOM_MAX_EVENT_METADATA_KEYS must be a whole number from 0 to 100, got "-1"',
        'INTERCOM_CREATE_MISSING_ATTRIBUTES must be true or false, got "sometimes"',
        'INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID must be user or lead, got "visitor"',
      ],
    });
  });

  it.each(['10.5', '101', 'ten', '1e1'])('rejects metadata key budget %j', (raw) => {
    expect('errors' in parseMappingSettings({ INTERCOM_MAX_EVENT_METADATA_KEYS: raw })).toBe(true);
  });

  it('accepts a zero metadata key budget', () => {
    expect(parseMappingSettings({ INTERCOM_MAX_EVENT_METADATA_KEYS: '0' })).toEqual({
      settings: { ...DEFAULT_MAPPING_SETTINGS, maxEventMetadataKeys: 0 },
    });
  });
});
