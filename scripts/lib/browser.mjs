// Debian's Chromium driven by playwright-core, launched as the test guide verified it here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium as playwrightChromium } from 'playwright-core';
import { chromium } from './env.mjs';

export async function launchBrowser() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-chromium-'));
  return playwrightChromium.launchPersistentContext(userDataDir, {
    executablePath: chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
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
