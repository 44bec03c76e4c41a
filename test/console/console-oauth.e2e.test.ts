/**
 * Connecting Intercom with OAuth from the console, in headless Chromium, through the sandbox's OAuth
 * pages. The sandbox is opened as `localhost` and the console as `127.0.0.1`, two different sites, so
 * the browser comes back from "Intercom" the way it does in production: without the SameSite=Strict
 * session cookie on the redirect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { chromiumAvailable, launchChromium } from '../browser/chromium.js';
import { eventually, startTestService, type TestService, validator } from '../e2e/harness.js';
import {
  ADMIN_TOKEN,
  identify,
  OAUTH_CLIENT,
  screenshot,
  SECRET_KEY,
  sendBatch,
  signIn,
} from './console-fixture.js';

const run = chromiumAvailable();
let sandbox: Sandbox;
let service: TestService;
let browser: Browser;
let page: Page;

describe.runIf(run)('connecting Intercom with OAuth from the console (Chromium, sandbox OAuth pages)', () => {
  beforeAll(async () => {
    sandbox = await createSandbox({ validator: await validator(), appId: 'oauth-workspace' });
    const apiUrl = await sandbox.listen({ host: '127.0.0.1' });
    const browserFacing = apiUrl.replace('127.0.0.1', 'localhost');
    service = await startTestService({
      ADMIN_TOKEN,
      SECRET_KEY,
      ...OAUTH_CLIENT,
      INTERCOM_API_URL: apiUrl,
      INTERCOM_APP_ID: 'oauth-workspace',
      INTERCOM_OAUTH_AUTHORIZE_URL: `${browserFacing}/oauth`,
      INTERCOM_OAUTH_TOKEN_URL: `${apiUrl}/auth/eagle/token`,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, service.ingestUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await sandbox?.close();
  });

  it('waits without a token: the destination is paused and events stay queued', async () => {
    await page.waitForSelector('#dest-default [data-status="paused"]');
    expect(await page.textContent('#dest-default .token')).toContain('not connected');
    expect(await sendBatch(service.ingestUrl, [identify('oauth-ada', 'oauth-1')])).toBe(200);
    await page.locator('#dest-default .queue', { hasText: '1 pending' }).waitFor();
    expect(sandbox.state().contacts).toEqual([]);
  });

  it('connects through the sandbox’s authorize page (Allow) and delivers with the new token', async () => {
    await page.click('#connect-default');
    await page.waitForSelector('#allow');
    expect(new URL(page.url()).hostname).toBe('localhost');
    await screenshot(page, 'console-oauth-authorize');
    await page.click('#allow');
    await page.waitForSelector('#notice');
    expect(await page.textContent('#notice')).toContain('Intercom is connected');
    await eventually(
      () => sandbox.state().contacts.find((c) => c.external_id === 'oauth-ada'),
      15_000,
      'delivery after connect',
    );
    const create = sandbox.requests().find((r) => r.method === 'POST' && r.path === '/contacts');
    expect(create?.credential).toBe('oauth-1');
    await page.waitForSelector('#dest-default [data-status="delivering"]');
    expect(await page.textContent('#dest-default .token')).toContain('workspace oauth-workspace');
    await screenshot(page, 'console-oauth-connected');
  });

  it('disconnects: the token is revoked and deleted, and delivery pauses with nothing dropped', async () => {
    await page.click('#disconnect-default');
    await page.waitForURL(/notice=disconnected/);
    await page.waitForSelector('#dest-default [data-status="paused"]');
    expect(await page.textContent('#dest-default .token')).toContain('not connected');
    expect(await sendBatch(service.ingestUrl, [identify('oauth-grace', 'oauth-2')])).toBe(200);
    await page.locator('#dest-default .queue', { hasText: '1 pending' }).waitFor();
    expect(sandbox.state().contacts.find((c) => c.external_id === 'oauth-grace')).toBeUndefined();
    // The revoked token no longer works at "Intercom".
    const revoked = sandbox.requests().filter((r) => r.credential === 'oauth-1');
    expect(revoked.length).toBeGreaterThan(0);
    const health = (await (await fetch(`${service.ingestUrl}/health`)).json()) as {
      destinations: { status: string }[];
    };
    expect(health.destinations[0]?.status).toBe('paused');
  });

  it('Deny on the authorize page shows a clear message and stores nothing', async () => {
    await page.click('#connect-default');
    await page.waitForSelector('#deny');
    await page.click('#deny');
    await page.waitForSelector('#notice');
    expect(await page.textContent('#notice')).toContain('Intercom access was not granted');
    expect(await page.textContent('#dest-default .token')).toContain('not connected');
    await screenshot(page, 'console-oauth-denied');
  });
});
