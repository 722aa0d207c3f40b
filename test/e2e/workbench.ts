// A person's view of the workbench: open files, run palette commands, read the DOM, take screenshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { e2e } from './setup';

export const resultsDir = path.resolve(__dirname, '..', '..', '..', 'test-results');

/** Editor text in the DOM uses non-breaking spaces. */
export function normalise(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** A new page (a fresh browser context) with the workbench open on `folder`. */
  static async start(folder = e2e().freshWorkspace()): Promise<Workbench> {
    const page = await e2e().browser.newPage();
    const workbench = new Workbench(page);
    try {
      await workbench.open(e2e().serverUrl, folder);
    } catch (error) {
      await page.close();
      throw error;
    }
    return workbench;
  }

  async open(serverUrl: string, folder: string): Promise<void> {
    await this.page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  }

  /** Opens a file by clicking it in the explorer. */
  async openFile(name: string): Promise<void> {
    await this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first().click();
    await this.page.locator(`.tab[aria-label^="${name}"]`).first().waitFor();
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /**
   * F1 and type; returns the rows matching `text`. The palette lists an extension's commands only once
   * the extension host has scanned it, so a fresh window may need a few tries.
   */
  async openPalette(text: string, rowText = text): Promise<Locator> {
    const rows = this.page.locator('.quick-input-list .monaco-list-row', { hasText: rowText });
    for (let attempt = 0; ; attempt++) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${text}`);
      try {
        await rows.first().waitFor({ timeout: 3_000 });
        return rows;
      } catch (error) {
        await this.page.keyboard.press('Escape');
        if (attempt >= 10) throw error;
        console.log(`palette: attempt ${attempt + 1} found no row for ${text}`);
      }
    }
  }

  /** Runs a command from the palette: waits for its row to appear, then picks it. */
  async runCommand(title: string): Promise<void> {
    const rows = await this.openPalette(title);
    // Click the row itself: Enter runs whichever row is highlighted, which may be a recently used one.
    await rows.first().click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The Prompt Lens panel's content: its webview's inner frame. */
  panel(): FrameLocator {
    return this.page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame');
  }

  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  async activeEditorText(): Promise<string> {
    return normalise(await this.activeEditor().locator('.view-lines').innerText());
  }

  /** Switches to the colour theme `name` through "Preferences: Color Theme". */
  async selectColorTheme(name: string): Promise<void> {
    await this.openPalette('Preferences: Color Theme');
    await this.page
      .locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]')
      .first()
      .click();
    await this.page.locator('.quick-input-widget input').fill(name);
    // The row whose label is exactly `name` ("Dark High Contrast" is also in "Light High Contrast"
    // searches), clicked: Enter runs whichever row is highlighted at that moment.
    const exact = this.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) });
    await this.page.locator('.quick-input-list .monaco-list-row').filter({ has: exact }).first().click();
  }

  /** For an afterEach hook: a screenshot named after `test` when it failed. */
  async screenshotIfFailed(test: { state?: string | undefined; title: string } | undefined): Promise<void> {
    if (test?.state === 'failed') await this.screenshot(`failed-${test.title.replace(/\W+/g, '-')}`);
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
