import { describe, expect, it } from 'vitest';
import type { SegmentEvent } from '../../segment/event.js';
import { laneKeyOf } from './lane-key.js';

const base = { messageId: 'm-1', timestamp: '2024-05-01T12:00:00.000Z' } as const;

describe('laneKeyOf', () => {
  const cases: ReadonlyArray<{ name: string; event: SegmentEvent; expected: string }> = [
    {
      name: 'C-RACE-1 userId names the lane',
      event: { ...base, type: 'track', event: 'E', userId: 'u1' },
      expected: 'u:u1',
    },
    {
      name: 'C-RACE-1 an identify and a track of the same email share a lane',
      event: { ...base, type: 'identify', anonymousId: 'a', traits: { email: 'Ada@Example.com' } },
      expected: 'e:ada@example.com',
    },
    {
      name: 'C-RACE-1 anonymousId alone',
      event: { ...base, type: 'page', anonymousId: 'a1' },
      expected: 'a:a1',
    },
    {
      name: 'an event without any identity gets a lane of its own',
      event: { ...base, type: 'alias', previousId: 'p' },
      expected: 'm:m-1',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(laneKeyOf(c.event)).toBe(c.expected);
    });
  }
});
