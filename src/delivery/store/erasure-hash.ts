import { createHash, randomBytes } from 'node:crypto';
import type { ErasureKey, HashedKey } from './erasures.js';

/** The key as it is compared: emails trimmed and lower-cased (as lanes and Intercom treat them), ids as given. */
function normalised(key: ErasureKey): string {
  return key.kind === 'email' ? key.value.trim().toLowerCase() : key.value;
}

function digest(salt: string, key: ErasureKey): string {
  return createHash('sha256')
    .update(`${salt}\n${key.kind}\n${normalised(key)}`)
    .digest('hex');
}

/**
 * The audit's form of a key (L-4): a SHA-256 with a random salt of its own. A plain hash of an email
 * could be reversed by hashing a list of known addresses once for every row; with a salt per row an
 * auditor can still check a given person (`matchesErasureKey`), one row at a time.
 */
export function hashErasureKey(key: ErasureKey, salt: string = randomBytes(16).toString('hex')): HashedKey {
  return { kind: key.kind, salt, hash: digest(salt, key) };
}

/** Whether an audit row's hash names `key`. */
export function matchesErasureKey(hashed: HashedKey, key: ErasureKey): boolean {
  return hashed.kind === key.kind && digest(hashed.salt, key) === hashed.hash;
}
