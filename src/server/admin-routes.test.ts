import { describe, expect, it } from 'vitest';
import { checkAdmin } from './admin-auth.js';
import { parseDeletionBody } from './deletion-routes.js';
import { pickSource } from './replay-events.js';

const sources = new Map([
  ['key-a', { sourceId: 'web', destinationId: 'acme' }],
  ['key-b', { sourceId: 'app', destinationId: 'acme' }],
  ['key-c', { sourceId: 'web', destinationId: 'globex' }],
]);

describe('admin routes', () => {
  it.each([
    ['no ADMIN_TOKEN configured', undefined, 'Bearer x', 'admin_disabled', 404],
    ['no credential', 's3cret', undefined, 'unauthorized', 401],
    ['Basic instead of Bearer', 's3cret', 'Basic czNjcmV0Og==', 'unauthorized', 401],
    ['a wrong token', 's3cret', 'Bearer s3cre', 'forbidden', 403],
  ])('L-4 L-5 refuses with %s', (_name, token, authorization, code, status) => {
    expect(() => checkAdmin(token, authorization)).toThrow(expect.objectContaining({ code, status }));
  });

  it('L-4 L-5 lets the right Bearer token through', () => {
    expect(() => checkAdmin('s3cret', 'Bearer s3cret')).not.toThrow();
  });

  it('L-5 picks the one source that fits, and refuses an ambiguous or unknown one naming the choices', () => {
    expect(pickSource(sources, 'app', undefined)).toEqual({ sourceId: 'app', destinationId: 'acme' });
    expect(pickSource(sources, 'web', 'globex')).toEqual({ sourceId: 'web', destinationId: 'globex' });
    expect(() => pickSource(sources, undefined, 'acme')).toThrow(
      /several sources fit.*web \(destination acme\)/,
    );
    expect(() => pickSource(sources, 'nope', undefined)).toThrow(/no configured source fits/);
  });

  it('L-4 reads user ids and emails of a deletion request', () => {
    expect(parseDeletionBody({ userIds: ['u1'], emails: ['a@example.com'], destination: 'acme' })).toEqual({
      destinationId: 'acme',
      keys: [
        { kind: 'user_id', value: 'u1' },
        { kind: 'email', value: 'a@example.com' },
      ],
    });
    expect(() => parseDeletionBody({ userIds: [''] })).toThrow(/non-empty strings/);
    expect(() => parseDeletionBody({})).toThrow(/give userIds or emails/);
    expect(() => parseDeletionBody([])).toThrow(/JSON object/);
  });
});
