/**
 * Device mode and cloud mode together: the demo page in headless Chromium sends each call both to the
 * stand-in Messenger and, through a real ingestion server and delivery, to the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { eventually, startTestService, WRITE_KEY } from '../e2e/harness.js';
import { chromiumAvailable, launchChromium } from './chromium.js';
import type { DemoGlobals } from './demo-globals.js';

const run = chromiumAvailable();

describe.runIf(run)('device mode and cloud mode together (demo page → ingestion → sandbox)', () => {
  it('D-4, D-8, I-1: delivers the same identify and track to the Messenger and, through ingestion, to the sandbox', async () => {
    const service = await startTestService();
    const browser = await launchChromium();
    try {
      const ingestHost = new URL(service.ingestUrl).host;
      const page = await browser.newPage();
      await page.goto(
        `${service.sandboxUrl}/demo?autopage=0&appId=e2e-cloud&writeKey=${WRITE_KEY}&ingest=${ingestHost}`,
      );
      await page.waitForFunction(
        () => (globalThis as unknown as Partial<DemoGlobals>).analytics !== undefined,
      );
      await page.evaluate(async () => {
        const { analytics } = globalThis as unknown as DemoGlobals;
        await analytics.identify('cloud-ada', { email: 'cloud-ada@example.com', name: 'Ada Lovelace' });
        await analytics.track('Viewed Pricing', { tier: 'gold' });
      });

      await page.waitForFunction(
        () => ((globalThis as unknown as DemoGlobals).__intercomCalls ?? []).length >= 2,
      );
      const calls = await page.evaluate(() => (globalThis as unknown as DemoGlobals).__intercomCalls ?? []);
      expect(calls.map((call) => call.method)).toEqual(['boot', 'trackEvent']);

      const sandbox = service.sandbox!;
      const state = await eventually(
        () => {
          const s = sandbox.state();
          return s.events.length >= 1 ? s : undefined;
        },
        15_000,
        'the browser track delivered through ingestion',
      );
      expect(state.contacts).toMatchObject([
        { external_id: 'cloud-ada', email: 'cloud-ada@example.com', name: 'Ada Lovelace' },
      ]);
      expect(state.events[0]).toMatchObject({ event_name: 'Viewed Pricing', user_id: 'cloud-ada' });
      expect(sandbox.violations()).toEqual([]);
    } finally {
      await browser.close();
      await service.close();
    }
  }, 90_000);
});
