/**
 * The demo page's script (served by the sandbox at `/demo/demo.js`): analytics-next with the
 * Intercom plugin pointed at the sandbox's stand-in Messenger, plus Segment's own delivery to an
 * ingestion server when `?ingest=host:port` is given. Not part of the published plugin bundle.
 */
import { AnalyticsBrowser } from '@segment/analytics-next';
import { intercomPlugin } from '../plugin.js';

/** What the page's query string configures. */
interface DemoConfig {
  readonly appId: string;
  readonly writeKey: string;
  /** `host:port[/path]` of the ingestion server, without a scheme. */
  readonly ingestHost: string | undefined;
  readonly ingestProtocol: 'http' | 'https';
  readonly activator: string | undefined;
  readonly autoPage: boolean;
}

function readConfig(query: URLSearchParams): DemoConfig {
  const ingest = query.get('ingest');
  return {
    appId: query.get('appId') ?? 'demo-app',
    writeKey: query.get('writeKey') ?? 'demo-write-key',
    ingestHost:
      ingest === null || ingest === '' ? undefined : ingest.replace(/^https?:\/\//, '').replace(/\/+$/, ''),
    ingestProtocol: ingest?.startsWith('https://') === true ? 'https' : 'http',
    activator: query.get('activator') ?? undefined,
    autoPage: query.get('autopage') !== '0',
  };
}

const config = readConfig(new URLSearchParams(location.search));
const widgetUrl = new URL(`/widget/${encodeURIComponent(config.appId)}`, location.origin).href;

const analytics = AnalyticsBrowser.load(
  {
    writeKey: config.writeKey,
    cdnSettings: {
      integrations: {
        'Segment.io': {
          apiKey: config.writeKey,
          apiHost: `${config.ingestHost ?? location.host}/v1`,
          protocol: config.ingestProtocol,
        },
      },
    },
    plugins: [
      intercomPlugin({
        appId: config.appId,
        widgetUrl,
        ...(config.activator !== undefined && { activator: config.activator }),
      }),
    ],
  },
  // Without an ingestion host there is no cloud path: Segment's own delivery stays off.
  config.ingestHost === undefined ? { integrations: { 'Segment.io': false } } : {},
);

/** The buttons' calls: one realistic call of each kind. */
const actions: Readonly<Record<string, () => unknown>> = {
  page: () => analytics.page('Demo', { title: document.title }),
  'identify-ada': () =>
    analytics.identify('ada', {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      createdAt: '2024-01-02T03:04:05.000Z',
      plan: 'pro',
      company: { id: 'engines', name: 'Analytical Engines' },
    }),
  group: () => analytics.group('engines', { name: 'Analytical Engines', plan: 'enterprise', employees: 12 }),
  track: () => analytics.track('Order Completed', { orderId: 'o-1', revenue: 19.99, currency: 'gbp' }),
  'identify-grace': () => analytics.identify('grace', { email: 'grace@example.com', name: 'Grace Hopper' }),
  'hide-launcher': () => analytics.page('Demo', {}, { Intercom: { hideDefaultLauncher: true } }),
  reset: () => analytics.reset(),
};

interface StandInWindow {
  __intercomCalls?: unknown[];
  analytics?: AnalyticsBrowser;
}

function renderCalls(): void {
  const calls = (window as StandInWindow).__intercomCalls ?? [];
  const target = document.getElementById('calls');
  if (target !== null) {
    target.textContent =
      calls.length === 0 ? '(none yet)' : calls.map((call) => JSON.stringify(call)).join('\n');
  }
}

function renderConfig(): void {
  const list = document.getElementById('config');
  if (list === null) return;
  const rows: [string, string][] = [
    ['App ID', config.appId],
    ['Widget', widgetUrl],
    [
      'Cloud path',
      config.ingestHost === undefined
        ? 'off (add ?ingest=host:port)'
        : `${config.ingestProtocol}://${config.ingestHost}/v1`,
    ],
    ['Activator', config.activator ?? '#IntercomDefaultWidget (default)'],
  ];
  list.replaceChildren(
    ...rows.flatMap(([term, text]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = text;
      return [dt, dd];
    }),
  );
}

(window as StandInWindow).analytics = analytics;
window.addEventListener('intercom-stand-in:call', renderCalls);
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
  const action = target?.getAttribute('data-action');
  const run = action === null || action === undefined ? undefined : actions[action];
  if (run !== undefined) void run();
});
renderConfig();
renderCalls();
if (config.autoPage) void analytics.page();
