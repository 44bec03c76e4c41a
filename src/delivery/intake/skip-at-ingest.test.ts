import { describe, expect, it } from 'vitest';
import type { EnqueueResult, Enqueuer, IncomingEvent } from '../store/enqueue.js';
import type { SkipReason } from '../../intercom/operations.js';
import { DEFAULT_MAPPING_SETTINGS } from '../../mapping/settings.js';
import type { SegmentEvent } from '../../segment/event.js';
import { skipAtIngest } from './skip-at-ingest.js';

const AT = '2024-05-01T12:00:00.000Z';

function incoming(event: SegmentEvent, destinationId = 'main'): IncomingEvent {
  return { sourceId: 'web', destinationId, receivedAt: AT, event };
}

const page = (messageId: string): IncomingEvent =>
  incoming({ type: 'page', messageId, userId: 'u1', name: 'Home', timestamp: AT });
const screen = (messageId: string): IncomingEvent =>
  incoming({ type: 'screen', messageId, userId: 'u1', name: 'Settings', timestamp: AT });
const alias = (messageId: string): IncomingEvent =>
  incoming({ type: 'alias', messageId, userId: 'u1', previousId: 'a1', timestamp: AT });
const track = (messageId: string, destinationId = 'main'): IncomingEvent =>
  incoming({ type: 'track', messageId, userId: 'u1', event: 'Clicked', timestamp: AT }, destinationId);
const anonymousTrack = (messageId: string): IncomingEvent =>
  incoming({ type: 'track', messageId, anonymousId: 'a1', event: 'Clicked', timestamp: AT });

/** A store that records what it was given and answers with a fixed number of duplicates (or fails). */
class RecordingStore implements Enqueuer {
  readonly calls: string[][] = [];
  constructor(
    private readonly duplicates = 0,
    private readonly failure?: Error,
  ) {}
  enqueue(events: readonly IncomingEvent[]): Promise<EnqueueResult> {
    this.calls.push(events.map((e) => e.event.messageId));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return Promise.resolve({ stored: events.length - this.duplicates, duplicates: this.duplicates });
  }
}

function setUp(store: Enqueuer, known = ['main']) {
  const counted: [string, SkipReason, number][] = [];
  const enqueuer = skipAtIngest({
    store,
    settings: (id) => (known.includes(id) ? DEFAULT_MAPPING_SETTINGS : undefined),
    onSkipped: (destinationId, reason, count) => counted.push([destinationId, reason, count]),
  });
  return { enqueuer, counted };
}

describe('skipAtIngest: events that can never cost an Intercom call are not queued', () => {
  it('C-PG-1: acknowledges page, screen and alias without storing them, counted by reason', async () => {
    const store = new RecordingStore();
    const { enqueuer, counted } = setUp(store);

    const result = await enqueuer.enqueue([page('p1'), track('t1'), screen('s1'), alias('x1'), page('p2')]);

    expect(store.calls).toEqual([['t1']]);
    expect(result).toEqual({ stored: 1, duplicates: 0 });
    expect(counted).toEqual([
      ['main', 'no_server_effect', 3],
      ['main', 'unsupported_type', 1],
    ]);
  });

  it('C-IDN-1: skips a track with neither userId nor email as no_identity', async () => {
    const store = new RecordingStore();
    const { enqueuer, counted } = setUp(store);

    await enqueuer.enqueue([anonymousTrack('t1'), track('t2')]);

    expect(store.calls).toEqual([['t2']]);
    expect(counted).toEqual([['main', 'no_identity', 1]]);
  });

  it('C-PG-1: answers a request of skipped events only without calling the store', async () => {
    const store = new RecordingStore();
    const { enqueuer, counted } = setUp(store);

    expect(await enqueuer.enqueue([page('p1'), screen('s1')])).toEqual({ stored: 0, duplicates: 0 });

    expect(store.calls).toEqual([]);
    expect(counted).toEqual([['main', 'no_server_effect', 2]]);
  });

  it('I-5: passes the store’s duplicates through unchanged', async () => {
    const { enqueuer } = setUp(new RecordingStore(1));

    expect(await enqueuer.enqueue([page('p1'), track('t1'), track('t2')])).toEqual({
      stored: 1,
      duplicates: 1,
    });
  });

  it('I-5: counts nothing when the store fails, so the client’s retry is counted once', async () => {
    const { enqueuer, counted } = setUp(new RecordingStore(0, new Error('disk full')));

    await expect(enqueuer.enqueue([page('p1'), track('t1')])).rejects.toThrow('disk full');
    expect(counted).toEqual([]);
  });

  it('queues the events of a destination without settings unmapped, keeping their order', async () => {
    const store = new RecordingStore();
    const { enqueuer, counted } = setUp(store);
    const elsewhere: IncomingEvent = { ...page('p9'), destinationId: 'other' };

    await enqueuer.enqueue([elsewhere, track('t1', 'other'), page('p1'), track('t2')]);

    expect(store.calls).toEqual([['p9', 't1', 't2']]);
    expect(counted).toEqual([['main', 'no_server_effect', 1]]);
  });
});
