import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Source } from './write-key-auth.js';

/** A source that accepts Segment's Webhooks destination (I-7): its events come signed with `secret`. */
export interface WebhookSource extends Source {
  /** The shared secret set in Segment's Webhooks destination. Never logged, never in a metric or answer. */
  readonly secret: string;
}

/**
 * The headers a signature may come in: `X-Signature` (Segment's classic Webhooks destination, and
 * Webhooks (Actions) by default) and `X-Segment-Signature` (Actions with "Use X-Segment-Signature
 * Header", which signs the whole body of a batch).
 */
export const SIGNATURE_HEADERS = ['x-signature', 'x-segment-signature'] as const;

/** A hex HMAC-SHA1 is 20 bytes, 40 hex digits. */
const SHA1_HEX = /^[0-9a-f]{40}$/i;

/** The signature header values of a request, as given (Node lower-cases header names). */
export type SignatureHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** The 20-byte digests a request claims, from every signature header that holds one. */
function claimedDigests(headers: SignatureHeaders): Buffer[] {
  const digests: Buffer[] = [];
  for (const name of SIGNATURE_HEADERS) {
    const value = headers[name];
    for (const text of Array.isArray(value) ? value : [value]) {
      const hex = text?.trim();
      if (hex !== undefined && SHA1_HEX.test(hex)) digests.push(Buffer.from(hex, 'hex'));
    }
  }
  return digests;
}

/**
 * I-7: the source whose secret signed `body` (the hex HMAC-SHA1 of exactly these bytes, the body
 * after any `Content-Encoding` is undone), or `undefined`. The secret selects the source: every
 * source's digest is computed and compared with `timingSafeEqual`, with no early exit, so the time
 * taken says nothing about which comparison, or which byte, failed.
 */
export function findSignedSource(
  sources: readonly WebhookSource[],
  body: Buffer,
  headers: SignatureHeaders,
): WebhookSource | undefined {
  const claimed = claimedDigests(headers);
  let found: WebhookSource | undefined;
  for (const source of sources) {
    const expected = createHmac('sha1', source.secret).update(body).digest();
    let matches = false;
    for (const digest of claimed) matches = timingSafeEqual(expected, digest) || matches;
    if (matches && found === undefined) found = source;
  }
  return found;
}

/** The hex HMAC-SHA1 of `body` with `secret`, as Segment's Webhooks destination signs (tests, tools). */
export function signWebhookBody(secret: string, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}
