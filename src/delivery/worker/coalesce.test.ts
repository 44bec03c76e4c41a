import { describe, expect, it } from 'vitest';
import type { GroupEvent, IdentifyEvent, TrackEvent } from '../../segment/event.js';
import { canCoalesce, coalesceEvents, isCoalescible } from './coalesce.js';

const identify = (
  messageId: string,
  traits: IdentifyEvent['traits'],
  extra: Partial<IdentifyEvent> = {},
): IdentifyEvent => ({
  type: 'identify',
  messageId,
  userId: 'u1',
  timestamp: `2024-05-01T12:00:0${messageId.slice(-1)}.000Z`,
  ...(traits === undefined ? {} : { traits }),
  ...extra,
});
const group = (messageId: string, groupId: string, traits: GroupEvent['traits']): GroupEvent => ({
  type: 'group',
  messageId,
  userId: 'u1',
  groupId,
  timestamp: '2024-05-01T12:00:00.000Z',
  ...(traits === undefined ? {} : { traits }),
});
const track: TrackEvent = {
  type: 'track',
  messageId: 't',
  userId: 'u1',
  event: 'Paid',
  timestamp: '2024-05-01T12:00:00.000Z',
};

describe('coalescing adjacent events of one lane (issue #5, isBulkAPIEnabled)', () => {
  it('merges identify traits in order, later values win, the latest event gives the rest', () => {
    const merged = coalesceEvents([
      identify('m1', { email: 'old@example.com', plan: 'free', seats: 1 }, { context: { ip: '10.0.0.1' } }),
      identify('m2', { plan: 'pro' }),
      identify('m3', { email: 'new@example.com' }, { context: { ip: '10.0.0.3' } }),
    ]);
    expect(merged).toEqual({
      type: 'identify',
      messageId: 'm3',
      userId: 'u1',
      timestamp: '2024-05-01T12:00:03.000Z',
      traits: { email: 'new@example.com', plan: 'pro', seats: 1 },
      context: { ip: '10.0.0.3' },
    });
  });

  it('keeps a userId or anonymousId that only an earlier event carried', () => {
    const merged = coalesceEvents([
      identify('m1', { a: 1 }, { anonymousId: 'anon-1' }),
      identify('m2', { b: 2 }, { integrations: { Intercom: { user_hash: 'h' } } }),
    ]);
    expect(merged).toMatchObject({
      userId: 'u1',
      anonymousId: 'anon-1',
      integrations: { Intercom: { user_hash: 'h' } },
    });
  });

  it('merges group calls of one company, not of another', () => {
    const head = group('g1', 'acme', { plan: 'a', size: 3 });
    expect(canCoalesce(head, group('g2', 'acme', {}))).toBe(true);
    expect(canCoalesce(head, group('g2', 'other', {}))).toBe(false);
    expect(coalesceEvents([head, group('g2', 'acme', { plan: 'b' })]).traits).toEqual({ plan: 'b', size: 3 });
  });

  it('stops at another event type, so order across types is kept', () => {
    expect(canCoalesce(identify('m1', {}), track)).toBe(false);
    expect(canCoalesce(group('g1', 'acme', {}), identify('m2', {}))).toBe(false);
    expect(isCoalescible(track)).toBe(false);
  });

  it('C-ID-9/C-ID-10 leaves identifies naming companies alone (each company is upserted and attached)', () => {
    expect(isCoalescible(identify('m1', { company: 'Acme' }))).toBe(false);
    expect(canCoalesce(identify('m1', {}), identify('m2', { companies: [{ id: 'c1' }] }))).toBe(false);
    expect(canCoalesce(identify('m1', {}), identify('m2', { plan: 'x' }))).toBe(true);
  });
});
