import { describe, expect, it } from 'vitest';
import { serializeCookie } from './cookies.js';
import { createSessionKeys, SESSION_TTL_MS } from './session.js';
import { createState, readState } from './oauth/oauth-state.js';

const T0 = 1_700_000_000_000;

describe('console sessions', () => {
  const keys = createSessionKeys('admin-token-0123456789');

  it('accepts its own cookie until it expires, and nothing signed with another admin token', () => {
    const { session, cookie } = keys.issue(T0);
    expect(keys.verify(cookie, T0 + 1)).toEqual(session);
    expect(keys.verify(cookie, T0 + SESSION_TTL_MS)).toBeUndefined();
    expect(createSessionKeys('another-admin-token-xyz').verify(cookie, T0 + 1)).toBeUndefined();
    expect(
      keys.verify(
        cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        T0 + 1,
      ),
    ).toBeUndefined();
    expect(keys.verify(undefined, T0)).toBeUndefined();
    expect(cookie).not.toContain('admin-token');
  });

  it('gives each session its own CSRF token', () => {
    const a = keys.issue(T0).session;
    const b = keys.issue(T0).session;
    expect(keys.csrfToken(a)).not.toBe(keys.csrfToken(b));
    expect(keys.same(keys.csrfToken(a), keys.csrfToken(a))).toBe(true);
    expect(keys.same(undefined, keys.csrfToken(a))).toBe(false);
  });

  it('binds the OAuth state to the session, the destination and ten minutes', () => {
    const { session } = keys.issue(T0);
    const other = keys.issue(T0).session;
    const state = createState(keys, session, 'acme.eu', T0);
    expect(readState(keys, session, state, T0 + 1)).toBe('acme.eu');
    expect(readState(keys, other, state, T0 + 1)).toBeUndefined();
    expect(readState(keys, session, state, T0 + 10 * 60_000)).toBeUndefined();
    expect(readState(keys, session, `${state}x`, T0 + 1)).toBeUndefined();
    expect(readState(keys, session, undefined, T0)).toBeUndefined();
  });

  it('sets cookies HttpOnly and SameSite=Strict, and Secure over https', () => {
    expect(serializeCookie('s', 'v', { path: '/console', maxAgeSeconds: 60, secure: false })).toBe(
      's=v; Path=/console; Max-Age=60; HttpOnly; SameSite=Strict',
    );
    expect(serializeCookie('s', 'v', { path: '/console', maxAgeSeconds: 60, secure: true })).toMatch(
      /; Secure$/,
    );
  });
});
