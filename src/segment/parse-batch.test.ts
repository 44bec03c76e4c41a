import { describe, expect, it } from 'vitest';
import { jsonByteLength } from './json-byte-size.js';
import { parseBatch } from './parse-batch.js';

const receivedAt = '2024-05-01T12:00:00.000Z';
let counter = 0;
const options = { receivedAt, newMessageId: () => `gen-${++counter}` };

describe('parseBatch', () => {
  it.each([
    { name: 'a non-object body', raw: 'batch', path: '', code: 'not_object' },
    { name: 'a missing batch array', raw: { writeKey: 'k' }, path: 'batch', code: 'invalid_batch' },
    {
      name: 'a batch that is an object',
      raw: { batch: { type: 'track' } },
      path: 'batch',
      code: 'invalid_batch',
    },
    {
      name: 'an envelope context that is not an object',
      raw: { batch: [], context: 1 },
      path: 'context',
      code: 'invalid_object',
    },
    {
      name: 'an envelope sentAt that is not a date',
      raw: { batch: [], sentAt: 'now' },
      path: 'sentAt',
      code: 'invalid_timestamp',
    },
  ])('rejects $name as a whole', ({ raw, path, code }) => {
    const result = parseBatch(raw, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => ({ path: issue.path, code: issue.code }))).toContainEqual({
      path,
      code,
    });
  });

  it('I-4 parses each event on its own: good events pass, bad ones carry their issues', () => {
    const result = parseBatch(
      {
        writeKey: 'wk',
        batch: [
          { type: 'identify', userId: 'u1', messageId: 'm1' },
          { type: 'track', userId: 'u1' },
          'not an event',
          { type: 'group', userId: 'u1', groupId: 'g1', messageId: 'm3' },
        ],
      },
      options,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.envelope).toEqual({ writeKey: 'wk' });
    expect(result.events.map((item) => [item.index, item.result.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
    ]);
    const second = result.events[1]!.result;
    expect(!second.ok && second.issues[0]!.message).toBe('event must be a non-empty string');
  });

  it('merges batch-level context and integrations under each event (the event wins)', () => {
    const result = parseBatch(
      {
        context: { library: { name: 'analytics-python' }, ip: '10.0.0.1' },
        integrations: { All: false },
        batch: [
          { type: 'identify', userId: 'u', context: { ip: '10.0.0.2' }, integrations: { Intercom: true } },
          { type: 'identify', userId: 'v' },
        ],
      },
      options,
    );
    if (!result.ok) throw new TypeError('batch should parse');
    const [first, second] = result.events.map((item) => (item.result.ok ? item.result.event : undefined));
    expect(first?.context).toEqual({ library: { name: 'analytics-python' }, ip: '10.0.0.2' });
    expect(first?.integrations).toEqual({ All: false, Intercom: true });
    expect(second?.context).toEqual({ library: { name: 'analytics-python' }, ip: '10.0.0.1' });
  });

  it('I-6 applies the batch sentAt to events without their own', () => {
    const result = parseBatch(
      {
        sentAt: '2024-05-01T11:00:10.000Z',
        batch: [
          { type: 'track', userId: 'u', event: 'E', originalTimestamp: '2024-05-01T11:00:00.000Z' },
          {
            type: 'track',
            userId: 'u',
            event: 'E',
            originalTimestamp: '2024-05-01T11:00:00.000Z',
            sentAt: '2024-05-01T11:00:00.000Z',
          },
        ],
      },
      options,
    );
    if (!result.ok) throw new TypeError('batch should parse');
    const times = result.events.map((item) => (item.result.ok ? item.result.event.timestamp : undefined));
    expect(times).toEqual(['2024-05-01T11:59:50.000Z', '2024-05-01T12:00:00.000Z']);
  });

  it('I-3 rejects only the event over the per-event byte limit', () => {
    const small = { type: 'track', userId: 'u', event: 'E' };
    const big = { ...small, properties: { blob: 'x'.repeat(200) } };
    const result = parseBatch({ batch: [small, big] }, { ...options, maxEventBytes: 150 });
    if (!result.ok) throw new TypeError('batch should parse');
    expect(result.events[0]!.result.ok).toBe(true);
    const rejected = result.events[1]!.result;
    expect(!rejected.ok && rejected.issues[0]!.code).toBe('event_too_large');
  });

  it('I-3 counts the limit in UTF-8 bytes, not characters', () => {
    const event = { type: 'track', userId: 'u', event: 'é'.repeat(60) };
    const chars = JSON.stringify(event).length;
    const result = parseBatch({ batch: [event] }, { ...options, maxEventBytes: chars + 10 });
    if (!result.ok) throw new TypeError('batch should parse');
    expect(result.events[0]!.result.ok).toBe(false);
  });

  it('I-3 counts 1-, 2-, 3- and 4-byte UTF-8 characters as TextEncoder does', () => {
    const samples = ['abc', 'é', '€', '😀', 'a😀é€', '\ud800 lone', 'x\udc00'];
    for (const text of samples) {
      expect(jsonByteLength({ text })).toBe(new TextEncoder().encode(JSON.stringify({ text })).byteLength);
    }
  });

  it('I-3 accepts an event exactly at the limit and rejects one byte over it, counted in UTF-8', () => {
    const event = { type: 'track', userId: 'u', event: '😀'.repeat(20) };
    const bytes = jsonByteLength(event);
    const at = parseBatch({ batch: [event] }, { ...options, maxEventBytes: bytes });
    const over = parseBatch({ batch: [event] }, { ...options, maxEventBytes: bytes - 1 });
    if (!at.ok || !over.ok) throw new TypeError('batch should parse');
    expect(at.events[0]!.result.ok).toBe(true);
    expect(over.events[0]!.result.ok).toBe(false);
  });
});
