import { isJsonObject } from '../segment/json.js';
import { UnauthorizedError } from './ingest-error.js';

/** What a write key gives access to. */
export interface Source {
  readonly sourceId: string;
  readonly destinationId: string;
}

/**
 * The write key of a request (I-2): the user name of HTTP Basic auth (`base64(writeKey + ":")`, as
 * Segment's libraries send it), else `writeKey` in the JSON body. Undefined when neither is there.
 */
export function readWriteKey(authorization: string | undefined, body: unknown): string | undefined {
  const fromHeader = basicUserName(authorization);
  if (fromHeader !== undefined) return fromHeader;
  const fromBody = isJsonObject(body) ? body['writeKey'] : undefined;
  return typeof fromBody === 'string' && fromBody !== '' ? fromBody : undefined;
}

/** The source a request's write key belongs to; throws `UnauthorizedError` (without the key) otherwise. */
export function authenticate(
  sources: ReadonlyMap<string, Source>,
  authorization: string | undefined,
  body: unknown,
): Source {
  const writeKey = readWriteKey(authorization, body);
  if (writeKey === undefined) throw new UnauthorizedError('missing');
  const source = sources.get(writeKey);
  if (source === undefined) throw new UnauthorizedError('unknown');
  return source;
}

function basicUserName(authorization: string | undefined): string | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  const encoded = match?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Some hand-written clients send base64(writeKey) without the colon; the whole value is then the key.
  const userName = colon === -1 ? decoded : decoded.slice(0, colon);
  return userName === '' ? undefined : userName;
}
