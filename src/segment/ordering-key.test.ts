import { describe, expect, it } from 'vitest';
import type { SegmentEvent } from './event.js';
import { orderingKey } from './ordering-key.js';

const base = { messageId: 'm1', timestamp: '2024-05-01T12:00:00.000Z' } as const;

const cases: ReadonlyArray<{ name: string; event: SegmentEvent; expected: string | undefined }> = [
  {
    name: 'C-RACE-1 userId wins over email and anonymousId',
    event: { ...base, type: 'identify', userId: 'x', anonymousId: 'a', traits: { email: 'x@example.com' } },
    expected: 'u:x',
  },
  {
    name: 'C-RACE-1 identify without userId uses traits.email, lower-cased',
    event: { ...base, type: 'identify', anonymousId: 'a', traits: { email: ' Ada@Example.com ' } },
    expected: 'e:ada@example.com',
  },
  {
    name: 'C-RACE-1 track without userId uses properties.email',
    event: {
      ...base,
      type: 'track',
      event: 'Paid',
      anonymousId: 'a',
      properties: { email: 'p@example.com' },
    },
    expected: 'e:p@example.com',
  },
  {
    name: 'C-RACE-1 falls back to context.traits.email',
    event: {
      ...base,
      type: 'track',
      event: 'Paid',
      anonymousId: 'a',
      context: { traits: { email: 'c@example.com' } },
    },
    expected: 'e:c@example.com',
  },
  {
    name: 'C-RACE-1 group traits.email is the company email, not the user',
    event: { ...base, type: 'group', groupId: 'g', anonymousId: 'a', traits: { email: 'billing@acme.com' } },
    expected: 'a:a',
  },
  {
    name: 'C-RACE-1 anonymousId alone',
    event: { ...base, type: 'page', anonymousId: 'anon-1' },
    expected: 'a:anon-1',
  },
  {
    name: 'C-RACE-1 a userId "x" and an email "x" do not share a lane',
    event: { ...base, type: 'identify', anonymousId: 'a', traits: { email: 'x' } },
    expected: 'e:x',
  },
  {
    name: 'C-RACE-1 a non-string email is ignored',
    event: { ...base, type: 'identify', anonymousId: 'a', traits: { email: 42 } },
    expected: 'a:a',
  },
  { name: 'no identity at all', event: { ...base, type: 'alias', previousId: 'p' }, expected: undefined },
];

describe('orderingKey', () => {
  it.each(cases)('$name', ({ event, expected }) => {
    expect(orderingKey(event)).toBe(expected);
  });
});
