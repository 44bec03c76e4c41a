import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { TokenSealError } from './console-error.js';

/** Encrypts tokens for the store and opens them again, with a key derived from SECRET_KEY. */
export interface TokenSealer {
  seal(token: string, destinationId: string): string;
  /** Throws `TokenSealError` when the text was sealed with another key or altered. */
  open(sealed: string, destinationId: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a 256-bit key derived from `secretKey` by HKDF-SHA256, a fresh 96-bit IV per token
 * and the destination id as additional data, so a sealed token copied to another destination's row
 * does not open. The text is `v1.<iv>.<ciphertext>.<tag>` in base64url.
 */
export function createTokenSealer(secretKey: string): TokenSealer {
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'intercom-destination', 'oauth token seal', 32));
  return {
    seal(token, destinationId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(destinationId));
      const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
      const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return [VERSION, ...parts].join('.');
    },
    open(sealed, destinationId) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined)
        throw new TokenSealError('the stored token is not in a known sealed form');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(Buffer.from(destinationId));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (error: unknown) {
        throw new TokenSealError('the stored token does not open with this SECRET_KEY', { cause: error });
      }
    },
  };
}
