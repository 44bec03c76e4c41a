import { describe, expect, it } from 'vitest';
import { parseDestinationsFile } from './destinations-file.js';

function withSettings(settings: unknown) {
  return parseDestinationsFile(
    {
      destinations: [{ id: 'acme', accessToken: 'tok', settings, sources: [{ id: 'web', writeKey: 'wk' }] }],
    },
    {},
  );
}

describe('DESTINATIONS_FILE settings', () => {
  it('C-IDN-5 reads contactRoleWithoutUserId per destination, user by default', () => {
    const lead = withSettings({ contactRoleWithoutUserId: 'lead' });
    const plain = withSettings({});
    expect('destinations' in lead && lead.destinations[0]?.mapping.contactRoleWithoutUserId).toBe('lead');
    expect('destinations' in plain && plain.destinations[0]?.mapping.contactRoleWithoutUserId).toBe('user');
  });

  it('C-IDN-5 reports a role that is neither user nor lead', () => {
    expect(withSettings({ contactRoleWithoutUserId: 'visitor' })).toEqual({
      errors: [
        'destinations[0].settings: INTERCOM_CONTACT_ROLE_WITHOUT_USER_ID must be user or lead, got "visitor"',
      ],
    });
  });
});
