import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, eventually, startTestService, WRITE_KEY, type TestService } from '../e2e/harness.js';

/** PromQL words that are not metric names. */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/** The metric names a PromQL expression reads: identifiers that are not functions, labels or keywords. */
export function metricNames(expr: string): string[] {
  const cleaned = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  return [...cleaned.matchAll(/(?<![\w$])([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((name) => !KEYWORDS.has(name));
}

interface Panel {
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../examples/grafana/intercom-destination.json', import.meta.url), 'utf8'),
) as { panels: Panel[]; templating: { list: { query?: unknown }[] } };

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
  // Traffic, so that every labelled series has a sample.
  await fetch(`${service.ingestUrl}/v1/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ userId: 'grafana-1', traits: { email: 'g@example.com' } }),
  });
  await eventually(() => (service.sandbox!.state().contacts.length > 0 ? true : undefined));
});
afterAll(() => service.close());

/** Every name `/metrics` exposes, with a histogram's `_bucket`, `_sum` and `_count`. */
async function exposedNames(): Promise<Set<string>> {
  const text = await (await fetch(`${service.ingestUrl}/metrics`)).text();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('the Grafana dashboard (examples/grafana)', () => {
  it('queries only metrics that /metrics exposes, in every panel', async () => {
    const exposed = await exposedNames();
    const queried = dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr)));
    const variables = dashboard.templating.list.flatMap((v) =>
      typeof v.query === 'string' && v.query.startsWith('label_values(')
        ? metricNames(v.query.slice('label_values('.length, v.query.indexOf(',')))
        : [],
    );
    expect(queried.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    expect([...new Set([...queried, ...variables])].filter((name) => !exposed.has(name))).toEqual([]);
  });

  it('reads metric names out of PromQL, leaving functions, labels and ranges out', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(ingest_request_duration_seconds_bucket[$__rate_interval])))',
      ),
    ).toEqual(['ingest_request_duration_seconds_bucket']);
    expect(
      metricNames('sum by (destination) (delivery_queue_depth{state="pending"}) / on (destination) x_total'),
    ).toEqual(['delivery_queue_depth', 'x_total']);
  });
});
