/**
 * Headless Chromium for the dashboard's tests, screenshots and benchmark: Debian's chromium
 * (/usr/bin/chromium, installed by .ci/run) driven by playwright-core, with the flags this
 * machine's closed network needs (no background connections, no component updates).
 */
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.OPENEVC_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set OPENEVC_CHROMIUM`);
  }
  // playwright gives every launch a new, empty profile directory of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
