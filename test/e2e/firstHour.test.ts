// Screenshots of what a prompt engineer sees in the first hour, in light, dark and both
// high-contrast themes: the heat with its legend (hover), the panel with a completed run, the Get
// Started walkthrough, and an error with its actions. Each is also checked, not only photographed.
// One workbench per theme (the theme is a user setting read when the page opens).
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startAlephAlphaServer, type AlephAlphaServer } from '../fixtures/alephAlpha/index';
import { hoverWidestHeat } from './heat';
import { workbenchSuite } from './suite';
import { type Workbench, normalise } from './workbench';

const PROFILE = 'e2e first hour';
/** Named by first-hour/names-aleph-alpha.prompt's `backend:`; it has no API key (the first hour's mistake). */
const FILE_PROFILE = 'Aleph Alpha';
/** `name` is the setting's value; `label` what the Color Theme picker shows. */
const THEMES = [
  { name: 'Default Light Modern', label: 'Light Modern', file: 'light', body: '.monaco-workbench.vs' },
  { name: 'Default Dark Modern', label: 'Dark Modern', file: 'dark', body: '.monaco-workbench.vs-dark' },
  {
    name: 'Default High Contrast',
    label: 'Dark High Contrast',
    file: 'hc-dark',
    body: '.monaco-workbench.hc-black',
  },
  {
    name: 'Default High Contrast Light',
    label: 'Light High Contrast',
    file: 'hc-light',
    body: '.monaco-workbench.hc-light',
  },
];

describe('first hour: heat legend, panel, walkthrough and errors in every default theme (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: AlephAlphaServer;

  /**
   * Opens a file from the explorer (Quick Open's rows reorder while results arrive, so a click can
   * land on a neighbour such as otter-local.prompt).
   */
  async function openFromExplorer(folder: string, file: string): Promise<void> {
    const folderRow = page
      .locator(`.explorer-folders-view .monaco-list-row[aria-label^="${folder}"]`)
      .first();
    if ((await folderRow.getAttribute('aria-expanded')) === 'false') await folderRow.click();
    await workbench.openFile(file);
    await page.locator('.tab.active', { hasText: file }).waitFor();
  }

  before(async () => {
    server = await startAlephAlphaServer({ token: 'e2e-token' });
  });
  after(async () => {
    await server?.close();
  });
  const suite = workbenchSuite(() => ({
    'workbench.colorTheme': THEMES[0]?.name,
    'promptLens.profiles': [
      { name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' },
      { name: FILE_PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' },
    ],
    'promptLens.activeProfile': PROFILE,
    'promptLens.explain.granularity': 'word',
  }));

  before(async function () {
    this.timeout(180_000);
    ({ page, workbench } = suite);
    // The key, as a user types it (the token goes to secret storage), for the active profile only.
    // (Rows are clicked, never picked with Enter: Enter runs whichever row is highlighted, which
    // right after typing can still be a recently used one; the old profile-picker step failed so.)
    await (await workbench.openPalette('Prompt Lens: Set API Key')).first().click();
    // Two profiles: first the one whose key to set.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: PROFILE }).first().click();
    await page.locator('.quick-input-widget input[type="password"]').waitFor();
    await page.keyboard.type('e2e-token');
    await page.keyboard.press('Enter');
  });

  for (const theme of THEMES) {
    it(`${theme.file}: heat with its legend, the panel, the walkthrough, an error with its actions`, async () => {
      // What the theme before left: its editors (the panel, the walkthrough) and notifications.
      await workbench.runCommand('View: Close All Editors');
      await workbench.runCommand('Notifications: Clear All Notifications');
      // As a person does, in the picker: one workbench for all themes.
      await workbench.selectColorTheme(theme.label);
      await page.locator(theme.body).first().waitFor({ timeout: 15_000 });

      // Heat, and its legend in the hover.
      await openFromExplorer('explain', 'otter.prompt');
      await workbench.runCommand('Prompt Lens: Explain Target');
      const statusItem = page.locator('.part.statusbar', { hasText: 'complete target' });
      await statusItem.waitFor({ timeout: 30_000 });
      // The widest span is the `{{ animal }}.` tag.
      const hover = await hoverWidestHeat(page, /animal/);
      const hoverText = normalise(await hover.innerText());
      assert.match(hoverText, /Scale: Orange: helped produce the target; purple: worked against it/);
      assert.match(hoverText, /Alt\+\] \/ Alt\+\[/);
      await workbench.screenshot(`first-hour-heat-${theme.file}`);
      await page.mouse.move(5, 5);

      // The panel beside the file, with a completed run (Complete on a `.prompt` file shows it there).
      await workbench.runCommand('Prompt Lens: Complete');
      const panel = workbench.panel();
      await panel.locator('.token-stream .tok').first().waitFor({ timeout: 30_000 });
      await panel.locator('.result[data-action="complete"]').waitFor();
      assert.match(normalise(await page.locator('.part.statusbar').innerText()), new RegExp(PROFILE));
      // Every probability step of the legend has a background of its own in this theme.
      const steps = await panel
        .locator('.legend .tok')
        .evaluateAll((spans) => spans.map((span) => getComputedStyle(span).backgroundColor));
      assert.equal(steps.length, 4);
      assert.equal(new Set(steps).size, 4, `steps share a color: ${steps.join(', ')}`);
      assert.ok(
        steps.every((color) => !/^rgba\(0, 0, 0, 0\)$|^transparent$/.test(color)),
        `a step has no background: ${steps.join(', ')}`,
      );
      await workbench.screenshot(`first-hour-panel-${theme.file}`);

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

      // An error with what to do next: the file's `backend:` picks a profile without a key. The status
      // bar names it; the error offers the `backend:` line and a run with the active profile (Select
      // Profile could not help: the file would still pick the same server).
      await openFromExplorer('first-hour', 'names-aleph-alpha.prompt');
      await page
        .locator('.part.statusbar', { hasText: `${FILE_PROFILE} (set by the file)` })
        .waitFor({ timeout: 30_000 });
      const runs = await panel.locator('.runs .run').count();
      await workbench.runCommand('Prompt Lens: Complete');
      const toast = page.locator('.notification-toast', { hasText: 'Prompt Lens:' });
      await toast.waitFor({ timeout: 30_000 });
      const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map(normalise);
      assert.deepEqual(
        buttons.filter((b) => b.trim() !== ''),
        ['Go to line', 'Run with the active profile', 'Set API Key'],
      );
      // The toast slides and fades in: photographed once its animations are over.
      await toast.evaluate((element) =>
        Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)),
      );
      await workbench.screenshot(`first-hour-error-${theme.file}`);
      // The same Complete once more, on the active profile: a completed run, the file unedited.
      await toast.locator('.monaco-button', { hasText: 'Run with the active profile' }).click();
      await panel.locator('.runs .run').nth(runs).waitFor({ timeout: 30_000 });
      await panel.locator('#result-title', { hasText: 'names-aleph-alpha.prompt' }).waitFor();
      assert.match(
        normalise(await panel.locator('#result-title').innerText()),
        new RegExp(`names-aleph-alpha\\.prompt · ${PROFILE}`),
      );
      assert.match(await workbench.activeEditorText(), /backend: Aleph Alpha/);
    });
  }
});
