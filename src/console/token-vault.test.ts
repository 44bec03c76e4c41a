import { describe, expect, it } from 'vitest';
import type { StoredToken, StoredTokens } from '../delivery/store/stored-tokens.js';
import { createTokenSealer } from './token-sealer.js';
import { createTokenVault } from './token-vault.js';

/** The store's token role in memory (a unit test's fake; the SQL is in the store contract). */
function memoryTokens(): StoredTokens & { readonly rows: Map<string, StoredToken> } {
  const rows = new Map<string, StoredToken>();
  return {
    rows,
    saveToken: (token) => Promise.resolve(void rows.set(token.destinationId, token)),
    storedTokens: () => Promise.resolve([...rows.values()]),
    deleteToken: (id) => Promise.resolve(rows.delete(id)),
  };
}

const KEY = 'a-secret-key-of-at-least-32-characters!';

describe('the token vault', () => {
  it('stores tokens sealed, hands them to delivery, and shows only their last four characters', async () => {
    const store = memoryTokens();
    const vault = createTokenVault(store, createTokenSealer(KEY));
    await vault.store('default', 'dG9rOnNlY3JldC10b2tlbg', 'ws1', 1_000);
    expect(vault.tokenFor('default')).toBe('dG9rOnNlY3JldC10b2tlbg');
    expect(vault.connected('default')).toEqual({
      hint: 'b2tlbg'.slice(-4),
      appId: 'ws1',
      connectedAtMs: 1_000,
    });
    expect(JSON.stringify([...store.rows.values()])).not.toContain('dG9rOnNlY3JldC10b2tlbg');
  });

  it('picks up a token another process stored, and forgets one it deleted, on refresh', async () => {
    const store = memoryTokens();
    const here = createTokenVault(store, createTokenSealer(KEY));
    const elsewhere = createTokenVault(store, createTokenSealer(KEY));
    await elsewhere.store('acme', 'token-from-elsewhere', undefined, 1);
    expect(here.tokenFor('acme')).toBeUndefined();
    await here.refresh();
    expect(here.tokenFor('acme')).toBe('token-from-elsewhere');
    expect(await elsewhere.remove('acme')).toBe(true);
    await here.refresh();
    expect(here.tokenFor('acme')).toBeUndefined();
  });

  it('leaves a token sealed with another SECRET_KEY unused and says which', async () => {
    const store = memoryTokens();
    await createTokenVault(store, createTokenSealer('an-older-secret-key-of-32-characters')).store(
      'old',
      't-old',
      undefined,
      1,
    );
    await createTokenVault(store, createTokenSealer(KEY)).store('new', 't-new', undefined, 1);
    const vault = createTokenVault(store, createTokenSealer(KEY));
    await vault.refresh();
    expect(vault.tokenFor('old')).toBeUndefined();
    expect(vault.tokenFor('new')).toBe('t-new');
    expect(vault.unreadable()).toEqual(['old']);
  });

  it('without SECRET_KEY refuses to store a token', async () => {
    const vault = createTokenVault(memoryTokens(), undefined);
    await expect(vault.store('default', 't', undefined, 1)).rejects.toThrow('SECRET_KEY');
  });
});
