import { describe, expect, it } from 'vitest';
import { identityKey, pickContactByEmail } from './contact-resolver.js';
import type { Contact } from './responses.js';

const lead: Contact = { id: 'lead', role: 'lead', email: 'a@x.io' };
const bare: Contact = { id: 'bare', role: 'user', email: 'a@x.io' };
const ours: Contact = { id: 'ours', role: 'user', email: 'a@x.io', external_id: 'u1' };
const other: Contact = { id: 'other', role: 'user', email: 'a@x.io', external_id: 'u2' };

describe('pickContactByEmail (C-IDN-2)', () => {
  it.each([
    ['our external_id wins', [lead, other, ours], 'u1', 'ours'],
    ['a user without external_id before a lead', [lead, bare], 'u1', 'bare'],
    ['a lead without external_id', [other, lead], 'u1', 'lead'],
    ['never a different external_id', [other], 'u1', undefined],
    ['nothing found', [], 'u1', undefined],
    ['email-only identity: any match, users first', [lead, other], undefined, 'other'],
  ] as const)('%s', (_name, found, externalId, expected) => {
    expect(pickContactByEmail(found, externalId)?.id).toBe(expected);
  });
});

describe('identityKey (C-IDN-1)', () => {
  it.each([
    [
      { externalId: 'u1', email: 'A@x.io' },
      { destinationId: 'd', kind: 'external_id', value: 'u1' },
    ],
    [{ email: 'A@x.io' }, { destinationId: 'd', kind: 'email', value: 'a@x.io' }],
    [{}, undefined],
  ])('%j → %j', (identity, expected) => {
    expect(identityKey('d', identity)).toEqual(expected);
  });
});
