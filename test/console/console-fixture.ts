import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { basicAuth, eventually, WRITE_KEY } from '../e2e/harness.js';

/** The admin token the console tests sign in with. */
export const ADMIN_TOKEN = 'console-admin-token-0123456789';
/** The key OAuth tokens are sealed with in the tests. */
export const SECRET_KEY = 'console-secret-key-0123456789-abcdefghijkl';
/** The OAuth client the tests connect with. */
export const OAUTH_CLIENT = {
  INTERCOM_CLIENT_ID: 'console-test-app',
  INTERCOM_CLIENT_SECRET: 'client-secret-do-not-show',
};

/** Where screenshots go (not committed). */
export const SCREENSHOT_DIR = path.resolve('test-output');

/** Writes a screenshot of the page to `test-output/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the form. */
export async function signIn(page: Page, consoleUrl: string): Promise<void> {
  await page.goto(`${consoleUrl}/console`);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${consoleUrl}/console`), page.click('button[type=submit]')]);
}

/** Sends events as a Segment library would, answering the status. */
export async function sendBatch(ingestUrl: string, batch: readonly object[]): Promise<number> {
  const response = await fetch(`${ingestUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(WRITE_KEY) },
    body: JSON.stringify({ batch }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** An identify of `userId` with a unique messageId. */
export function identify(userId: string, messageId: string, traits: object = {}): object {
  return { type: 'identify', userId, messageId, traits: { email: `${userId}@example.com`, ...traits } };
}

/** Waits until the default destination's chart has drawn at least `count` events of a series in its hour. */
export async function chartTotalAtLeast(page: Page, series: string, count: number): Promise<void> {
  const attribute = `data-total-${series}`;
  await eventually(
    async () =>
      Number(await page.getAttribute('#dest-default .chart', attribute)) >= count ? true : undefined,
    20_000,
    `the chart's ${series} total to reach ${count}`,
  );
}
