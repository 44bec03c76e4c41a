/**
 * The operator console in headless Chromium against a real `serve` (SQLite, the in-process sandbox):
 * sign in, status, charts moving as events arrive, a dead letter after a permanent failure opened and
 * redriven until delivered, pause and resume. Screenshots go to test-output/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../browser/chromium.js';
import { eventually, startTestService, type TestService } from '../e2e/harness.js';
import {
  ADMIN_TOKEN,
  chartTotalAtLeast,
  identify,
  screenshot,
  sendBatch,
  signIn,
} from './console-fixture.js';

const run = chromiumAvailable();
let service: TestService;
let browser: Browser;
let page: Page;

describe.runIf(run)('the operator console in Chromium', () => {
  beforeAll(async () => {
    service = await startTestService({ ADMIN_TOKEN });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('signs in and shows the destination delivering', async () => {
    await page.goto(`${service.ingestUrl}/console`);
    expect(page.url()).toBe(`${service.ingestUrl}/console/sign-in`);
    await screenshot(page, 'console-sign-in');
    await signIn(page, service.ingestUrl);
    await page.waitForSelector('#dest-default [data-status="delivering"]');
    expect(await page.textContent('#dest-default .token')).toContain('the local sandbox');
  });

  it('moves the charts as events are sent', async () => {
    const received = () => page.getAttribute('#dest-default .chart', 'data-total-received');
    const before = Number(await received());
    const batch = Array.from({ length: 12 }, (_, i) =>
      identify(`chart-${i}`, `chart-m-${i}`, { plan: 'pro' }),
    );
    expect(await sendBatch(service.ingestUrl, batch)).toBe(200);
    await chartTotalAtLeast(page, 'received', before + 12);
    await chartTotalAtLeast(page, 'delivered', 12);
    expect(await page.locator('#dest-default .chart canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-overview');
  });

  it('shows a dead letter after a permanent failure, opens it, redrives it and sees it delivered', async () => {
    const sandbox = service.sandbox!;
    // Every call answered 400: a permanent refusal the attribute repair cannot fix (L-1).
    sandbox.setFaults({ errorRate: 1, errorStatus: 400 });
    expect(await sendBatch(service.ingestUrl, [identify('doomed', 'doomed-1')])).toBe(200);
    await page.waitForSelector('#dl-list tbody tr td.reason', { timeout: 20_000 });
    expect(await page.textContent('#dl-list tbody tr td.reason')).toBe('rejected');
    await page.locator('#dest-default .failures', { hasText: 'permanent' }).waitFor();
    sandbox.setFaults({ errorRate: 0 });
    await page.click('#dl-list tbody tr button');
    await page.waitForSelector('#dl-open');
    const detail = await page.textContent('#dl-open');
    expect(detail).toContain('doomed');
    expect(detail).toContain('400');
    await screenshot(page, 'console-dead-letter');
    await page.click('#dl-redrive-one');
    await page.locator('#dl-result', { hasText: 'Redrove 1 dead letter.' }).waitFor();
    await eventually(
      () => sandbox.state().contacts.find((c) => c.external_id === 'doomed'),
      15_000,
      'the redriven identify delivered',
    );
    await page.locator('#dl-list tbody tr').first().waitFor({ state: 'detached' });
  });

  it('pauses and resumes the destination: events wait while paused and are delivered after', async () => {
    const sandbox = service.sandbox!;
    await page.click('#pause-default');
    await page.waitForSelector('#dest-default [data-status="paused"]');
    expect(await page.textContent('#dest-default .status')).toContain('Paused by an operator');
    expect(await sendBatch(service.ingestUrl, [identify('waiting', 'waiting-1')])).toBe(200);
    await page.locator('#dest-default .queue', { hasText: '1 pending' }).waitFor();
    expect(sandbox.state().contacts.find((c) => c.external_id === 'waiting')).toBeUndefined();
    await screenshot(page, 'console-paused');
    await page.click('#resume-default');
    await page.waitForSelector('#dest-default [data-status="delivering"]');
    await eventually(
      () => sandbox.state().contacts.find((c) => c.external_id === 'waiting'),
      15_000,
      'delivered after resume',
    );
  });

  it('runs the doctor and shows its findings', async () => {
    await page.click('#doctor-run');
    await page.locator('#doctor-findings', { hasText: 'ok · config' }).waitFor();
    expect(await page.textContent('#doctor-findings')).toContain('serve delivers to the local sandbox');
  });
});
