/**
 * Realistic Segment batches for the ingestion benchmarks: 100 events of mixed types in the proportions
 * a website sends (mostly page views), each with the context analytics.js attaches.
 */

/** Placeholder replaced by a unique prefix per request, so every messageId of a run is new. */
const ID_MARK = '@@ID@@';

/** Event types of one batch, in order (100 entries): 45 page, 15 screen, 25 track, 10 identify, 4 group, 1 alias. */
const MIX: readonly string[] = shuffled([
  ...Array<string>(45).fill('page'),
  ...Array<string>(15).fill('screen'),
  ...Array<string>(25).fill('track'),
  ...Array<string>(10).fill('identify'),
  ...Array<string>(4).fill('group'),
  'alias',
]);

/** A fixed interleaving (seeded Fisher-Yates), the same in every run. */
function shuffled(items: string[]): string[] {
  let seed = 7;
  for (let i = items.length - 1; i > 0; i -= 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = seed % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const CONTEXT = {
  library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
  ip: '203.0.113.7',
  locale: 'en-GB',
  userAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  page: {
    path: '/pricing',
    referrer: 'https://www.example.com/',
    title: 'Pricing - Example',
    url: 'https://www.example.com/pricing?utm_source=newsletter',
  },
  campaign: { source: 'newsletter', medium: 'email', name: 'spring' },
};

function event(type: string, i: number): Record<string, unknown> {
  const userId = `user-${(i * 37) % 500}`;
  const base = {
    type,
    messageId: `${ID_MARK}-${i}`,
    anonymousId: `anon-${(i * 53) % 900}`,
    timestamp: '2024-05-01T12:00:00.000Z',
    context: CONTEXT,
  };
  switch (type) {
    case 'page':
      return { ...base, name: 'Pricing', properties: { path: '/pricing', title: 'Pricing - Example' } };
    case 'screen':
      return { ...base, userId, name: 'Settings', properties: { tab: 'billing' } };
    case 'track':
      return {
        ...base,
        userId,
        event: 'Order Completed',
        properties: { orderId: `o-${i}`, revenue: 42.5, currency: 'EUR', items: 3, coupon: 'SPRING' },
      };
    case 'identify':
      return {
        ...base,
        userId,
        traits: {
          email: `${userId}@example.com`,
          name: 'Ada Lovelace',
          plan: 'pro',
          createdAt: '2023-11-05T09:30:00.000Z',
          company: { id: 'c-1', name: 'Analytical Engines' },
        },
      };
    case 'group':
      return { ...base, userId, groupId: 'c-1', traits: { name: 'Analytical Engines', plan: 'enterprise' } };
    default:
      return { ...base, userId, previousId: `anon-${i}` };
  }
}

/** Only events that need Intercom calls (70 track, 30 identify): every one stays queued while Intercom is down. */
const QUEUED_MIX: readonly string[] = shuffled([
  ...Array<string>(70).fill('track'),
  ...Array<string>(30).fill('identify'),
]);

/** Which events a batch holds: a website's mix, or only events that wait for Intercom. */
export type BatchMix = 'mixed' | 'queued';

/** A batch body split at its id placeholders: `parts.join(prefix)` makes a body with fresh messageIds. */
export function batchTemplate(writeKey: string, mix: BatchMix = 'mixed'): readonly string[] {
  const batch = (mix === 'mixed' ? MIX : QUEUED_MIX).map((type, i) => event(type, i));
  return JSON.stringify({ batch, writeKey, sentAt: '2024-05-01T12:00:01.000Z' }).split(ID_MARK);
}

/** Events per batch body. */
export const EVENTS_PER_BATCH = MIX.length;
