/**
 * Device mode end to end: the demo page served by a real sandbox on loopback, analytics-next with the
 * Intercom plugin in headless Chromium, the stand-in Messenger recording every call (D-1 … D-11). The
 * cloud path through a real ingestion server is device-and-cloud-mode.e2e.test.ts.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { validator } from '../e2e/harness.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import type { DemoGlobals, RecordedCall } from './demo-globals.js';

const SCREENSHOT = path.resolve('test-output', 'device-mode-demo.png');
const run = chromiumAvailable();

describe.runIf(run)('device mode in headless Chromium (D-1 … D-11)', () => {
  let browser: Browser;
  let sandbox: Sandbox;
  let baseUrl: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
    sandbox = await createSandbox({ validator: await validator() });
    baseUrl = await sandbox.listen();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await sandbox?.close();
  });

  /** A fresh browser profile (no stored analytics user) with the demo page open and analytics loaded. */
  async function openDemo(query: string, before?: (page: Page) => Promise<void>): Promise<Page> {
    await context?.close();
    context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await before?.(page);
    // Not `load`: a held widget script (the D-2 test) would hold the load event too.
    await page.goto(`${baseUrl}/demo?autopage=0&${query}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => (globalThis as unknown as Partial<DemoGlobals>).analytics !== undefined);
    expect(errors).toEqual([]);
    return page;
  }

  /** Waits until the stand-in Messenger has recorded `count` calls, then returns them all. */
  async function messengerCalls(page: Page, count: number): Promise<RecordedCall[]> {
    await page.waitForFunction(
      (n) => ((globalThis as unknown as DemoGlobals).__intercomCalls ?? []).length >= n,
      count,
    );
    return page.evaluate(() => (globalThis as unknown as DemoGlobals).__intercomCalls ?? []);
  }

  /** The calls the stand-in widget reported to the sandbox for an app id. */
  async function reportedCalls(appId: string): Promise<RecordedCall[]> {
    const response = await fetch(`${baseUrl}/widget/${appId}/calls`);
    const body = (await response.json()) as { calls: RecordedCall[] };
    return body.calls;
  }

  it('D-3, D-4, D-7, D-8, D-10: page, identify, group, track and reset make exactly the expected calls in order', async () => {
    const appId = 'e2e-order';
    const page = await openDemo(`appId=${appId}`);
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      await analytics.page();
      await analytics.identify('ada', { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' });
      await analytics.group('engines', { name: 'Analytical Engines', employees: 12 });
      await analytics.track('Order Completed', {
        orderId: 'o-1',
        revenue: 19.99,
        currency: 'gbp',
        gift: true,
      });
      await analytics.identify('ada', { email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' });
      analytics.reset();
      await analytics.page();
    });
    const expected: RecordedCall[] = [
      { method: 'boot', args: [{ app_id: appId }] },
      {
        method: 'update',
        args: [
          { app_id: appId, user_id: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' },
        ],
      },
      {
        method: 'update',
        args: [{ app_id: appId, company: { company_id: 'engines', name: 'Analytical Engines', size: 12 } }],
      },
      {
        method: 'trackEvent',
        args: ['Order Completed', { price: { amount: 1999, currency: 'gbp' }, orderId: 'o-1', gift: 'true' }],
      },
      // The second, identical identify follows the group update, so it is not a repeat of the last one (D-11).
      {
        method: 'update',
        args: [
          { app_id: appId, user_id: 'ada', email: 'ada@example.com', name: 'Ada Lovelace', plan: 'pro' },
        ],
      },
      { method: 'shutdown', args: [] },
      { method: 'boot', args: [{ app_id: appId }] },
    ];
    expect(await messengerCalls(page, expected.length)).toEqual(expected);
    // The widget reports each call to the sandbox too, in the same order.
    await expect.poll(() => reportedCalls(appId), { timeout: 10_000 }).toEqual(expected);
    // D-4: window.intercomSettings mirrors what the Messenger was told since the last shutdown.
    expect(await page.evaluate(() => Reflect.get(globalThis, 'intercomSettings') as unknown)).toEqual({
      app_id: appId,
    });
  });

  it('D-11: an identify repeating the last update on the same page is not sent again', async () => {
    const page = await openDemo('appId=e2e-repeat');
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      for (let i = 0; i < 3; i += 1) await analytics.identify('ada', { plan: 'pro' });
      await analytics.track('Done');
    });
    const calls = await messengerCalls(page, 2);
    expect(calls.map((call) => call.method)).toEqual(['boot', 'trackEvent']);
  });

  it('D-3, D-11: two pages after boot send two updates; an identical identify sends no second update', async () => {
    const page = await openDemo('appId=e2e-pages');
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      for (let i = 0; i < 3; i += 1) await analytics.page();
      for (let i = 0; i < 2; i += 1) await analytics.identify('ada', { plan: 'pro' });
      await analytics.track('Done');
    });
    const calls = await messengerCalls(page, 5);
    expect(calls.map((call) => call.method)).toEqual(['boot', 'update', 'update', 'update', 'trackEvent']);
    expect(calls[3]?.args).toEqual([{ app_id: 'e2e-pages', user_id: 'ada', plan: 'pro' }]);
  });

  it('D-1: the integrations option turns the Intercom destination off, or on alone with per-event options', async () => {
    const page = await openDemo('appId=e2e-integrations');
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      await analytics.track('Not For Intercom', {}, { integrations: { Intercom: false } });
      await analytics.identify(
        'ada',
        {},
        { integrations: { All: false, Intercom: { user_hash: 'hmac-of-ada' } } },
      );
      await analytics.track('For Intercom');
    });
    expect(await messengerCalls(page, 2)).toEqual([
      { method: 'boot', args: [{ app_id: 'e2e-integrations', user_id: 'ada', user_hash: 'hmac-of-ada' }] },
      { method: 'trackEvent', args: ['For Intercom', {}] },
    ]);
  });

  it('D-2: an identify issued before the widget script has loaded is queued by the stub and replayed', async () => {
    const appId = 'e2e-early';
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const page = await openDemo(`appId=${appId}`, async (p) => {
      await p.route(
        (url) => url.pathname === `/widget/${appId}`,
        async (route) => {
          await gate;
          await route.continue();
        },
      );
    });
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      await analytics.identify('early-bird', { email: 'early@example.com' });
      await analytics.track('Signed Up', { trial: true });
    });
    const queued = await page.evaluate(() => {
      const g = globalThis as unknown as DemoGlobals;
      return {
        q: g.Intercom?.q ?? null,
        standIn: g.Intercom?.standIn ?? false,
        recorded: g.__intercomCalls ?? null,
      };
    });
    expect(queued).toEqual({
      q: [
        ['boot', { app_id: appId, user_id: 'early-bird', email: 'early@example.com' }],
        ['trackEvent', 'Signed Up', { trial: 'true' }],
      ],
      standIn: false,
      recorded: null,
    });

    release();
    expect(await messengerCalls(page, 2)).toEqual([
      { method: 'boot', args: [{ app_id: appId, user_id: 'early-bird', email: 'early@example.com' }] },
      { method: 'trackEvent', args: ['Signed Up', { trial: 'true' }] },
    ]);
  });

  it('D-10: a second user identifying shuts the Messenger down before booting them', async () => {
    const page = await openDemo('appId=e2e-switch');
    await page.evaluate(async () => {
      const { analytics } = globalThis as unknown as DemoGlobals;
      await analytics.identify('ada', { email: 'ada@example.com' });
      await analytics.identify('grace', { email: 'grace@example.com' });
    });
    expect(await messengerCalls(page, 3)).toEqual([
      { method: 'boot', args: [{ app_id: 'e2e-switch', user_id: 'ada', email: 'ada@example.com' }] },
      { method: 'shutdown', args: [] },
      { method: 'boot', args: [{ app_id: 'e2e-switch', user_id: 'grace', email: 'grace@example.com' }] },
    ]);
  });

  it('D-6, D-9: the launcher shows after boot, hides when asked, and the custom launcher opens the Messenger', async () => {
    const page = await openDemo(`appId=e2e-launcher&activator=${encodeURIComponent('#help-button')}`);
    await page.evaluate(() => (globalThis as unknown as DemoGlobals).analytics.page());
    await page.locator('#intercom-launcher').waitFor({ state: 'visible' });
    const [boot] = await messengerCalls(page, 1);
    expect(boot).toEqual({
      method: 'boot',
      args: [{ app_id: 'e2e-launcher', custom_launcher_selector: '#help-button' }],
    });

    // The demo's own buttons drive analytics too (what a person trying the demo does).
    await page.click('[data-action="identify-ada"]');
    await page.click('[data-action="track"]');
    const afterButtons = await messengerCalls(page, 3);
    expect(afterButtons.slice(1).map((call) => call.method)).toEqual(['update', 'trackEvent']);
    await page.locator('#calls').getByText('Order Completed').waitFor();

    await page.click('#help-button');
    await page.locator('#intercom-messenger').waitFor({ state: 'visible' });

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    await page.evaluate(() =>
      (globalThis as unknown as DemoGlobals).analytics.page(
        undefined,
        {},
        { Intercom: { hideDefaultLauncher: true } },
      ),
    );
    await page.locator('#intercom-launcher').waitFor({ state: 'detached' });
    const calls = await messengerCalls(page, 4);
    expect(calls[3]).toEqual({
      method: 'update',
      args: [
        { app_id: 'e2e-launcher', custom_launcher_selector: '#help-button', hide_default_launcher: true },
      ],
    });
  });
});
