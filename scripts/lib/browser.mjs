// Debian's Chromium driven by playwright-core, launched as the test guide verified it here.
// `browser.newPage()` opens each page in a fresh context, so no workbench state (layout, panel
// sizes, recently used commands) leaks from one test file's window into the next.
import { chromium as playwrightChromium } from 'playwright-core';
import { chromium } from './env.mjs';

export async function launchBrowser() {
  return playwrightChromium.launch({
    executablePath: chromium,
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

/** Playwright's default page size is small for a workbench. */
export const VIEWPORT = { width: 1400, height: 900 };
