import { describe, expect, it } from 'vitest';
import { TokenSealError } from './console-error.js';
import { createTokenSealer } from './token-sealer.js';

describe('sealing OAuth tokens (AES-256-GCM)', () => {
  const sealer = createTokenSealer('a-secret-key-of-at-least-32-characters!');

  it('opens what it sealed, and a fresh IV makes each sealing different', () => {
    const a = sealer.seal('dG9rOmFiYw==', 'default');
    const b = sealer.seal('dG9rOmFiYw==', 'default');
    expect(a).not.toBe(b);
    expect(a).not.toContain('dG9rOmFiYw');
    expect(sealer.open(a, 'default')).toBe('dG9rOmFiYw==');
  });

  it('refuses another key, another destination, and altered text', () => {
    const sealed = sealer.seal('token-value', 'default');
    expect(() => createTokenSealer('another-secret-key-of-32-characters!!').open(sealed, 'default')).toThrow(
      TokenSealError,
    );
    expect(() => sealer.open(sealed, 'acme')).toThrow(TokenSealError);
    const [v, iv, body, tag] = sealed.split('.');
    // The first character: all six of its bits are data (the last one's low bits may be padding).
    const flipped = `${v}.${iv}.${body!.startsWith('A') ? 'B' : 'A'}${body!.slice(1)}.${tag}`;
    expect(() => sealer.open(flipped, 'default')).toThrow(TokenSealError);
    expect(() => sealer.open('plain-text', 'default')).toThrow(TokenSealError);
  });
});
