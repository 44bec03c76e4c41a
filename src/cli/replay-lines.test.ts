import { describe, expect, it } from 'vitest';
import { judgeLine, replayMessageId } from './replay-lines.js';

const LIMIT = 32 * 1024;
const track = {
  type: 'track',
  userId: 'u1',
  event: 'Paid',
  messageId: 'm1',
  timestamp: '2024-05-01T12:00:00Z',
};

describe('L-5 replay lines', () => {
  it('L-5 keeps a valid line as it is, with its lane', () => {
    const text = JSON.stringify(track);
    expect(judgeLine(text, {}, LIMIT)).toMatchObject({ kind: 'event', json: text, laneKey: 'u:u1' });
  });

  it.each([
    ['not JSON', '{"type":', /^invalid JSON: /],
    ['not an object', '[1,2]', /JSON object/],
    ['an invalid event', JSON.stringify({ ...track, event: '' }), /event/],
    [
      'an event over the size limit',
      JSON.stringify({ ...track, properties: { x: 'y'.repeat(LIMIT) } }),
      /KB limit/,
    ],
  ])('L-5 rejects %s with a reason', (_name, text, reason) => {
    const verdict = judgeLine(text, {}, LIMIT);
    expect(verdict.kind).toBe('rejected');
    expect(verdict.kind === 'rejected' ? verdict.reason : '').toMatch(reason);
  });

  it('I-5 gives a line without messageId the same id on every run', () => {
    const { messageId: _id, ...rest } = track;
    const text = JSON.stringify(rest);
    const verdict = judgeLine(text, {}, LIMIT);
    expect(verdict).toMatchObject({ kind: 'event', event: { messageId: replayMessageId(text) } });
    const again = judgeLine(text, {}, LIMIT);
    expect(again.kind === 'event' && verdict.kind === 'event' ? again.json : undefined).toBe(
      verdict.kind === 'event' ? verdict.json : 'no event',
    );
  });

  it('L-5 replays the event of a dead letter printed by dlq list --json', () => {
    const letter = { id: 7, reason: 'rejected', destinationId: 'd', event: track };
    expect(judgeLine(JSON.stringify(letter), {}, LIMIT)).toMatchObject({
      kind: 'event',
      json: JSON.stringify(track),
      event: { messageId: 'm1' },
    });
  });

  it('L-5 --from is inclusive and --to exclusive, on the I-6 timestamp', () => {
    const at = Date.parse(track.timestamp);
    const text = JSON.stringify(track);
    expect(judgeLine(text, { fromMs: at }, LIMIT).kind).toBe('event');
    expect(judgeLine(text, { fromMs: at + 1 }, LIMIT).kind).toBe('outside');
    expect(judgeLine(text, { toMs: at }, LIMIT).kind).toBe('outside');
    expect(judgeLine('   ', {}, LIMIT).kind).toBe('blank');
  });
});
