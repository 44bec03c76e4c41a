import { describe, expect, it } from 'vitest';
import { InvalidReceivedAtError } from './segment-error.js';
import { resolveTimestamp, type EventTimes } from './timestamps.js';

const receivedAt = '2024-05-01T12:00:10.000Z';

const cases: ReadonlyArray<{ name: string; times: EventTimes; expected: string }> = [
  {
    name: 'I-6 keeps a given timestamp',
    times: {
      timestamp: '2024-05-01T11:00:00.000Z',
      originalTimestamp: '2024-05-01T10:00:00.000Z',
      sentAt: '2024-05-01T12:00:00.000Z',
    },
    expected: '2024-05-01T11:00:00.000Z',
  },
  {
    name: 'I-6 normalises a timestamp with an offset to UTC',
    times: { timestamp: '2024-05-01T13:00:00+02:00' },
    expected: '2024-05-01T11:00:00.000Z',
  },
  {
    name: 'I-6 corrects originalTimestamp by the client clock skew (receivedAt - sentAt)',
    times: { originalTimestamp: '2024-05-01T11:59:00.000Z', sentAt: '2024-05-01T12:00:00.000Z' },
    expected: '2024-05-01T11:59:10.000Z',
  },
  {
    name: 'I-6 corrects a client clock that runs ahead',
    times: { originalTimestamp: '2024-05-01T13:00:00.000Z', sentAt: '2024-05-01T13:00:05.000Z' },
    expected: '2024-05-01T12:00:05.000Z',
  },
  {
    name: 'I-6 uses originalTimestamp as is without sentAt',
    times: { originalTimestamp: '2024-05-01T11:59:00.000Z' },
    expected: '2024-05-01T11:59:00.000Z',
  },
  { name: 'I-6 falls back to receivedAt', times: {}, expected: receivedAt },
  {
    name: 'I-6 treats an unparsable timestamp as absent',
    times: {
      timestamp: 'yesterday-ish',
      originalTimestamp: '2024-05-01T11:59:00.000Z',
      sentAt: '2024-05-01T12:00:00.000Z',
    },
    expected: '2024-05-01T11:59:10.000Z',
  },
  {
    name: 'I-6 ignores an unparsable sentAt (no skew correction)',
    times: { originalTimestamp: '2024-05-01T11:59:00.000Z', sentAt: 'soon' },
    expected: '2024-05-01T11:59:00.000Z',
  },
];

describe('resolveTimestamp', () => {
  it.each(cases)('$name', ({ times, expected }) => {
    expect(resolveTimestamp(times, receivedAt)).toBe(expected);
  });

  it('I-6 refuses a receivedAt that is not a date (programming error)', () => {
    expect(() => resolveTimestamp({}, 'not a date')).toThrow(InvalidReceivedAtError);
  });
});
