import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json.js';
import { parseEvent, type ParseEventOptions } from './parse-event.js';

const receivedAt = '2024-05-01T12:00:00.000Z';
const options: ParseEventOptions = { receivedAt, newMessageId: () => 'generated-id' };

const invalid: ReadonlyArray<{
  name: string;
  raw: unknown;
  type?: ParseEventOptions['type'];
  path: string;
  code: string;
  message: string;
}> = [
  { name: 'a non-object', raw: [1, 2], path: '', code: 'not_object', message: 'event must be a JSON object' },
  {
    name: 'a missing type in a batch item',
    raw: { userId: 'u' },
    path: 'type',
    code: 'missing_type',
    message: 'type is required',
  },
  {
    name: 'an unknown type',
    raw: { type: 'purchase', userId: 'u' },
    path: 'type',
    code: 'invalid_type',
    message: 'type must be one of identify, track, page, screen, group, alias',
  },
  {
    name: 'a type that contradicts the route',
    raw: { type: 'identify', userId: 'u' },
    type: 'track',
    path: 'type',
    code: 'type_mismatch',
    message: 'type "identify" does not match the track route',
  },
  {
    name: 'neither userId nor anonymousId',
    raw: { type: 'identify', traits: {} },
    path: 'userId',
    code: 'missing_identity',
    message: 'userId or anonymousId is required',
  },
  {
    name: 'an empty userId and no anonymousId',
    raw: { type: 'identify', userId: '' },
    path: 'userId',
    code: 'missing_identity',
    message: 'userId or anonymousId is required',
  },
  {
    name: 'an object userId',
    raw: { type: 'identify', userId: { id: 1 } },
    path: 'userId',
    code: 'invalid_id',
    message: 'userId must be a string',
  },
  {
    name: 'a track without event',
    raw: { type: 'track', userId: 'u' },
    path: 'event',
    code: 'missing_event',
    message: 'event must be a non-empty string',
  },
  {
    name: 'a track with a blank event',
    raw: { type: 'track', userId: 'u', event: '  ' },
    path: 'event',
    code: 'missing_event',
    message: 'event must be a non-empty string',
  },
  {
    name: 'a track with a numeric event',
    raw: { type: 'track', userId: 'u', event: 5 },
    path: 'event',
    code: 'invalid_string',
    message: 'event must be a string',
  },
  {
    name: 'a group without groupId',
    raw: { type: 'group', userId: 'u' },
    path: 'groupId',
    code: 'missing_group_id',
    message: 'groupId is required',
  },
  {
    name: 'an alias without previousId',
    raw: { type: 'alias', userId: 'u' },
    path: 'previousId',
    code: 'missing_previous_id',
    message: 'previousId is required',
  },
  {
    name: 'traits that are not an object',
    raw: { type: 'identify', userId: 'u', traits: 'vip' },
    path: 'traits',
    code: 'invalid_object',
    message: 'traits must be an object',
  },
  {
    name: 'properties that are an array',
    raw: { type: 'track', userId: 'u', event: 'E', properties: [1] },
    path: 'properties',
    code: 'invalid_object',
    message: 'properties must be an object',
  },
  {
    name: 'context that is a string',
    raw: { type: 'page', userId: 'u', context: 'web' },
    path: 'context',
    code: 'invalid_object',
    message: 'context must be an object',
  },
  {
    name: 'a page name that is a number',
    raw: { type: 'page', userId: 'u', name: 3 },
    path: 'name',
    code: 'invalid_string',
    message: 'name must be a string',
  },
  {
    name: 'I-6 a timestamp that is not a date',
    raw: { type: 'identify', userId: 'u', timestamp: 'last tuesday' },
    path: 'timestamp',
    code: 'invalid_timestamp',
    message: 'timestamp must be an ISO-8601 date string',
  },
];

describe('parseEvent rejects', () => {
  it.each(invalid)('$name', ({ raw, type, path, code, message }) => {
    const result = parseEvent(raw, type === undefined ? options : { ...options, type });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({ path, code, message });
  });

  it('reports every problem of an event at once', () => {
    const result = parseEvent({ type: 'track', traits: 1, properties: 'x' }, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.code).sort()).toEqual([
      'invalid_object',
      'missing_event',
      'missing_identity',
    ]);
  });
});

describe('parseEvent accepts', () => {
  const parse = (raw: JsonObject, extra: ParseEventOptions = {}) => {
    const result = parseEvent(raw, { ...options, ...extra });
    if (!result.ok) throw new TypeError(`unexpected issues: ${JSON.stringify(result.issues)}`);
    return result.event;
  };

  it('an identify with traits, keeping context and integrations', () => {
    const event = parse({
      type: 'identify',
      userId: 'u1',
      messageId: 'm1',
      traits: { email: 'a@example.com' },
      context: { ip: '1.2.3.4' },
      integrations: { Intercom: { user_hash: 'h' } },
      timestamp: '2024-04-30T08:00:00.000Z',
    });
    expect(event).toEqual({
      type: 'identify',
      userId: 'u1',
      messageId: 'm1',
      traits: { email: 'a@example.com' },
      context: { ip: '1.2.3.4' },
      integrations: { Intercom: { user_hash: 'h' } },
      timestamp: '2024-04-30T08:00:00.000Z',
      receivedAt,
    });
  });

  it('a numeric userId, converted to its string', () => {
    expect(parse({ type: 'identify', userId: 42 }).userId).toBe('42');
  });

  it('a numeric groupId and previousId, converted to strings', () => {
    expect(parse({ type: 'group', userId: 'u', groupId: 7 })).toMatchObject({ groupId: '7' });
    expect(parse({ type: 'alias', userId: 'u', previousId: 8 })).toMatchObject({ previousId: '8' });
  });

  it('an anonymous track, generating the missing messageId', () => {
    const event = parse({
      type: 'track',
      anonymousId: 'a1',
      event: 'Signed Up',
      properties: { plan: 'pro' },
    });
    expect(event).toMatchObject({
      type: 'track',
      anonymousId: 'a1',
      event: 'Signed Up',
      messageId: 'generated-id',
      properties: { plan: 'pro' },
    });
  });

  it('the type from the route when the body has none (/v1/track)', () => {
    expect(parse({ userId: 'u', event: 'E' }, { type: 'track' }).type).toBe('track');
  });

  it('page and screen with name and category; null fields count as absent', () => {
    expect(
      parse({ type: 'page', userId: 'u', name: 'Home', category: null, properties: { path: '/' } }),
    ).toEqual({
      type: 'page',
      userId: 'u',
      name: 'Home',
      properties: { path: '/' },
      messageId: 'generated-id',
      timestamp: receivedAt,
      receivedAt,
    });
    expect(parse({ type: 'screen', anonymousId: 'a', name: 'Settings' })).toMatchObject({
      type: 'screen',
      name: 'Settings',
    });
  });

  it('drops unknown top-level fields such as writeKey', () => {
    expect(parse({ type: 'identify', userId: 'u', writeKey: 'secret', version: 2 })).not.toHaveProperty(
      'writeKey',
    );
  });

  it('I-6 corrects originalTimestamp with sentAt and the server receivedAt', () => {
    const event = parse({
      type: 'identify',
      userId: 'u',
      originalTimestamp: '2024-05-01T11:00:00.000Z',
      sentAt: '2024-05-01T11:00:30.000Z',
    });
    expect(event.timestamp).toBe('2024-05-01T11:59:30.000Z');
    expect(event.originalTimestamp).toBe('2024-05-01T11:00:00.000Z');
  });

  it('I-6 the server receivedAt overrides a receivedAt sent by the client', () => {
    expect(parse({ type: 'identify', userId: 'u', receivedAt: '2020-01-01T00:00:00.000Z' }).receivedAt).toBe(
      receivedAt,
    );
  });

  it('keeps a replayed export receivedAt when no server time is given', () => {
    const result = parseEvent({ type: 'identify', userId: 'u', receivedAt: '2020-01-01T00:00:00.000Z' });
    expect(result.ok && result.event.receivedAt).toBe('2020-01-01T00:00:00.000Z');
    expect(result.ok && result.event.timestamp).toBe('2020-01-01T00:00:00.000Z');
  });

  it('generates a UUID messageId by default', () => {
    const result = parseEvent({ type: 'identify', userId: 'u' }, { receivedAt });
    expect(result.ok && result.event.messageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
