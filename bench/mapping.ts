/**
 * Mapping throughput: events per CPU second of `mapEvent` per event type and for a mixed stream, against a
 * baseline measured in the same run on the same events (`JSON.parse(JSON.stringify(event))`, a
 * deep copy), and against RudderStack's transformer reference figures for this kind of machine.
 *
 * Run: `npx tsx bench/mapping.ts [seconds per set, default 2]`.
 */
import type { SegmentEvent } from '../src/segment/event.js';
import { mapEvent } from '../src/mapping/map-event.js';
import { DEFAULT_MAPPING_SETTINGS } from '../src/mapping/settings.js';

const SECONDS = Number(process.argv[2] ?? '2');
const DISTINCT = 1000;
/** RudderStack transformer, events/s on a 2-core machine (issue #4). */
const REFERENCE: Readonly<Record<string, number>> = { identify: 11_000, track: 30_000, group: 8_000 };

function timestamp(i: number): string {
  return new Date(Date.UTC(2024, 2, 1) + i * 61_000).toISOString();
}

function identify(i: number): SegmentEvent {
  return {
    type: 'identify',
    messageId: `m-i-${i}`,
    userId: `user-${i}`,
    timestamp: timestamp(i),
    traits: {
      email: `user${i}@example.com`,
      firstName: 'Ada',
      lastName: `Lovelace ${i}`,
      createdAt: '2023-11-05T09:30:00.000Z',
      plan: i % 2 === 0 ? 'pro' : 'free',
      seats: i % 50,
      score: i / 7,
      beta: i % 3 === 0,
      lastLogin: '2024-02-28T10:00:00Z',
      address: { city: 'London', country: 'UK' },
      company: {
        id: `c-${i % 100}`,
        name: `Company ${i % 100}`,
        plan: 'enterprise',
        monthlySpend: 499.9,
        employees: 120,
      },
    },
    context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3)', active: true },
  };
}

function track(i: number): SegmentEvent {
  return {
    type: 'track',
    messageId: `m-t-${i}`,
    userId: `user-${i}`,
    event: i % 2 === 0 ? 'Order Completed' : 'Product Viewed',
    timestamp: timestamp(i),
    properties: {
      orderId: `o-${i}`,
      revenue: 19.99 + i,
      currency: 'eur',
      coupon: 'SPRING',
      giftWrap: i % 2 === 0,
      quantity: i % 5,
      products: [{ sku: 'b-1', price: 9.99 }],
      category: 'books',
      url: 'https://shop.example/p/1',
    },
  };
}

function group(i: number): SegmentEvent {
  return {
    type: 'group',
    messageId: `m-g-${i}`,
    userId: `user-${i}`,
    groupId: `c-${i % 100}`,
    timestamp: timestamp(i),
    traits: {
      name: `Company ${i % 100}`,
      plan: 'enterprise',
      monthlySpend: 1999.5,
      employees: 250,
      industry: 'Manufacturing',
      website: 'https://acme.example',
      createdAt: 1577836800,
      region: 'EMEA',
      verified: true,
    },
  };
}

/** CPU time of this process in milliseconds (user + system), so other processes' load does not count. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs `fn` over `events` round-robin for about `ms` milliseconds of CPU time; returns events per CPU second. */
function measure(events: readonly SegmentEvent[], fn: (e: SegmentEvent) => unknown, ms: number): number {
  let sink = 0;
  let count = 0;
  const start = cpuMs();
  const deadline = start + ms;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 500; i += 1) sink += fn(events[(count + i) % events.length]!) === undefined ? 0 : 1;
    count += 500;
    now = cpuMs();
  }
  if (sink < 0) throw new RangeError('unreachable: keeps the results alive');
  return (count / (now - start)) * 1000;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Alternates short slices of the candidate and the baseline so both see the same machine load
 * (other processes share the cores), and reports the median of each plus the median slice ratio.
 */
function compare(
  events: readonly SegmentEvent[],
  candidate: (e: SegmentEvent) => unknown,
  baseline: (e: SegmentEvent) => unknown,
): { candidate: number; baseline: number; ratio: number } {
  measure(events, candidate, 200); // warm-up: let the JIT compile the hot paths first
  measure(events, baseline, 200);
  const c: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  const slices = Math.max(3, Math.round((SECONDS * 1000) / 200));
  for (let i = 0; i < slices; i += 1) {
    const x = measure(events, candidate, 100);
    const y = measure(events, baseline, 100);
    c.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { candidate: median(c), baseline: median(b), ratio: median(ratios) };
}

const sets: Record<string, SegmentEvent[]> = {
  identify: Array.from({ length: DISTINCT }, (_, i) => identify(i)),
  track: Array.from({ length: DISTINCT }, (_, i) => track(i)),
  group: Array.from({ length: DISTINCT }, (_, i) => group(i)),
};
sets['mixed'] = Array.from({ length: DISTINCT }, (_, i) => [track, track, identify, group][i % 4]!(i));

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `node ${process.version}, ${SECONDS} CPU-s per set, ${DISTINCT} distinct events per set, rates per CPU second`,
);
console.log('type      mapEvent/s   baseline/s   mapEvent÷baseline   ÷RudderStack');
for (const [type, events] of Object.entries(sets)) {
  const result = compare(
    events,
    (e) => mapEvent(e, DEFAULT_MAPPING_SETTINGS),
    (e) => JSON.parse(JSON.stringify(e)) as unknown,
  );
  const reference = REFERENCE[type];
  const vsReference = reference === undefined ? '-' : `${(result.candidate / reference).toFixed(1)}×`;
  console.log(
    `${type.padEnd(9)} ${fmt(result.candidate).padStart(11)}  ${fmt(result.baseline).padStart(11)}  ${result.ratio.toFixed(2).padStart(18)}   ${vsReference.padStart(11)}`,
  );
}
