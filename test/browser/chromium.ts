/**
 * Headless Chromium for the device-mode end-to-end tests: Debian's `chromium` driven by playwright-core
 * (no browser download at install time). In CI the tests must run; elsewhere, without Chromium, they
 * are skipped with a loud warning.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium (override with CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** True when the browser tests can run here; throws in CI when they cannot, so CI never skips them. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: CI must run the browser tests (apt-get install chromium)`,
    );
  }
  console.warn(
    `\n*** SKIPPING browser tests: Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium) ***\n`,
  );
  return false;
}

/** Launches headless Chromium with the flags that keep it offline and quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
