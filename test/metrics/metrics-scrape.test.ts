import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, startTestService, WRITE_KEY, type TestService } from '../e2e/harness.js';

/** One sample of a Prometheus text exposition. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the Prometheus text format (the subset prom-client writes: no timestamps, no escapes in use). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new TypeError(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include `labels`. */
function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

async function scrape(): Promise<{ samples: Sample[]; text: string; contentType: string | null }> {
  const response = await fetch(`${service.ingestUrl}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { samples: parseMetrics(text), text, contentType: response.headers.get('content-type') };
}

async function post(url: string, body: string, authorization = basicAuth(WRITE_KEY)): Promise<number> {
  const response = await fetch(`${service.ingestUrl}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  });
  return response.status;
}

const at = '2024-05-01T12:00:00.000Z';
const BATCH = JSON.stringify({
  batch: [
    { type: 'page', messageId: 'm-p1', anonymousId: 'a1', name: 'Home', timestamp: at },
    { type: 'page', messageId: 'm-p2', anonymousId: 'a1', name: 'Pricing', timestamp: at },
    { type: 'page', messageId: 'm-p3', userId: 'metrics-u1', name: 'Docs', timestamp: at },
    { type: 'screen', messageId: 'm-s1', userId: 'metrics-u1', name: 'Settings', timestamp: at },
    {
      type: 'identify',
      messageId: 'm-i1',
      userId: 'metrics-u1',
      traits: { email: 'm1@example.com' },
      timestamp: at,
    },
    {
      type: 'identify',
      messageId: 'm-i2',
      userId: 'metrics-u2',
      // C-ID-5: never sent, so the delivery records an ignored_trait warning.
      traits: { email: 'm2@example.com', avatar: 'https://example.com/m2.png' },
      timestamp: at,
    },
    { type: 'track', messageId: 'm-t1', userId: 'metrics-u1', event: 'Signed Up', timestamp: at },
    { type: 'track', messageId: 'm-t2', userId: 'metrics-u2', event: 'Signed Up', timestamp: at },
    { type: 'track', messageId: 'm-bad1', userId: 'metrics-u1', event: 7 },
    { type: 'track', messageId: 'm-bad2', event: 'No Identity' },
  ],
});

describe('GET /metrics is scraped and its counters match what was sent', () => {
  it('counts received, stored, deduplicated, rejected by reason, delivered, skipped, Intercom calls and queue depth', async () => {
    const before = await scrape();
    expect(before.contentType).toMatch(/^text\/plain/);
    expect(total(before.samples, 'ingest_events_received_total')).toBe(0);

    expect(await post('/v1/batch', BATCH)).toBe(200); // 8 valid, 2 invalid
    expect(await post('/v1/batch', BATCH)).toBe(200); // a client retry: 8 duplicates
    expect(await post('/v1/batch', BATCH, basicAuth('wk-unknown'))).toBe(401);
    expect(await post('/v1/batch', '{"batch":[')).toBe(400);
    expect(
      await post(
        '/v1/track',
        JSON.stringify({ userId: 'metrics-u2', event: 'Upgraded', messageId: 'm-t3', timestamp: at }),
      ),
    ).toBe(200);

    // Page and screen events are skipped at ingestion (C-PG-1), in both requests: a retried skip is
    // counted again, not deduplicated. Delivery is asynchronous: wait until the 5 stored events settled.
    let samples: Sample[] = [];
    const deadline = Date.now() + 30_000;
    for (;;) {
      ({ samples } = await scrape());
      const settled =
        total(samples, 'delivery_jobs_delivered_total') + total(samples, 'delivery_jobs_skipped_total');
      if (settled >= 13 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const source = { source: 'default' };
    expect(total(samples, 'ingest_events_received_total', source)).toBe(21);
    // received 21 = stored 5 + deduplicated 4 + skipped 8 + rejected 4
    expect(total(samples, 'ingest_events_stored_total', source)).toBe(5);
    expect(total(samples, 'ingest_events_deduplicated_total', source)).toBe(4);
    expect(total(samples, 'ingest_rejected_total', { reason: 'invalid_string' })).toBe(2);
    expect(total(samples, 'ingest_rejected_total', { reason: 'missing_identity' })).toBe(2);
    expect(total(samples, 'ingest_rejected_total', { reason: 'unauthorized' })).toBe(1);
    expect(total(samples, 'ingest_rejected_total', { reason: 'invalid_json' })).toBe(1);
    expect(
      total(samples, 'ingest_request_duration_seconds_count', { route: '/v1/batch', status: '200' }),
    ).toBe(2);
    expect(
      total(samples, 'ingest_request_duration_seconds_count', { route: '/v1/track', status: '200' }),
    ).toBe(1);

    const destination = { destination: 'default' };
    expect(total(samples, 'delivery_jobs_delivered_total', destination)).toBe(5);
    expect(
      total(samples, 'delivery_jobs_skipped_total', { ...destination, reason: 'no_server_effect' }),
    ).toBe(8);
    expect(total(samples, 'delivery_jobs_dead_total', destination)).toBe(0);
    expect(total(samples, 'delivery_attempts_retried_total', destination)).toBe(0);
    expect(total(samples, 'delivery_mapping_warnings_total', destination)).toBe(1);
    expect(total(samples, 'delivery_mapping_warnings_total', { ...destination, code: 'ignored_trait' })).toBe(
      1,
    );

    // Every call the sandbox saw was counted by status, and its rate-limit budget is exported.
    const calls = service.sandbox!.requests();
    expect(total(samples, 'intercom_requests_total', destination)).toBe(calls.length);
    expect(total(samples, 'intercom_requests_total', { ...destination, status: '200' })).toBe(
      calls.filter((c) => c.status === 200).length,
    );
    const remaining = samples.find((s) => s.name === 'intercom_rate_limit_remaining');
    expect(remaining?.value).toBeGreaterThan(0);
    expect(remaining?.value).toBeLessThan(total(samples, 'intercom_rate_limit_limit', destination));

    // C-TR-6: the distinct event names delivered to the workspace, as the sandbox counted them too.
    expect(total(samples, 'intercom_event_names', destination)).toBe(
      service.sandbox!.state().event_names.length,
    );
    expect(total(samples, 'intercom_event_names', destination)).toBeGreaterThan(0);

    expect(total(samples, 'delivery_queue_depth', { ...destination, state: 'pending' })).toBe(0);
    expect(total(samples, 'delivery_queue_depth', { ...destination, state: 'dead_letters' })).toBe(0);
  });

  it('shows queued events per destination while Intercom is failing, and counts the retries', async () => {
    service.sandbox!.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      const batch = Array.from({ length: 3 }, (_, i) => ({
        type: 'identify',
        messageId: `q-${i}`,
        userId: `queued-${i}`,
        traits: { email: `queued-${i}@example.com` },
      }));
      expect(await post('/v1/batch', JSON.stringify({ batch }))).toBe(200);
      let samples: Sample[] = [];
      const deadline = Date.now() + 20_000;
      for (;;) {
        ({ samples } = await scrape());
        if (
          total(samples, 'delivery_attempts_retried_total', { decision: 'retry' }) >= 3 ||
          Date.now() > deadline
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(
        total(samples, 'delivery_attempts_retried_total', { destination: 'default', decision: 'retry' }),
      ).toBeGreaterThanOrEqual(3);
      expect(total(samples, 'delivery_queue_depth', { destination: 'default', state: 'pending' })).toBe(3);
      expect(
        total(samples, 'intercom_requests_total', { destination: 'default', status: '503' }),
      ).toBeGreaterThanOrEqual(3);
      expect(
        total(samples, 'delivery_oldest_event_age_seconds', { destination: 'default' }),
      ).toBeGreaterThanOrEqual(0);
      expect(samples.some((s) => s.name === 'delivery_oldest_event_age_seconds')).toBe(true);
      // L-1, L-2: each failed attempt counted by class; the last one's time, from the store.
      expect(
        total(samples, 'delivery_failed_attempts_total', { destination: 'default', class: 'transient' }),
      ).toBeGreaterThanOrEqual(3);
      const lastFailure = samples.find((s) => s.name === 'delivery_last_failure_timestamp_seconds');
      expect(lastFailure?.labels).toEqual({ destination: 'default', class: 'transient' });
      expect(Math.abs(Date.now() / 1000 - (lastFailure?.value ?? 0))).toBeLessThan(60);
      const health = (await (await fetch(`${service.ingestUrl}/health`)).json()) as {
        destinations: { lastError?: { class: string; status?: number }; oldestPendingAgeSeconds: number }[];
      };
      expect(health.destinations[0]?.lastError).toMatchObject({ class: 'transient', status: 503 });
      expect(health.destinations[0]?.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      service.sandbox!.setFaults({ errorRate: 0 });
    }
  });
});
