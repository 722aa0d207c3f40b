import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { workbenchSuite } from './suite';
import { type Workbench, normalise } from './workbench';

describe('command palette', () => {
  let page: Page;
  let workbench: Workbench;

  const suite = workbenchSuite();
  before(() => ({ page, workbench } = suite));

  it('lists the Prompt Lens commands under their category', async () => {
    const rows = await workbench.openPalette('Prompt Lens:');
    const labels = (await rows.allInnerTexts()).map(normalise).join('\n');
    assert.match(labels, /Prompt Lens: Show Log/);
    assert.match(labels, /Prompt Lens: New Prompt File/);
    await page.keyboard.press('Escape');
  });

  it('runs "Prompt Lens: Show Log" on a .prompt file and shows the activation line', async () => {
    await workbench.openFile('hello.prompt');
    const output = page.locator('.part.panel .view-lines').first();
    const logShown = (timeout: number) =>
      page
        .waitForFunction(
          () => /activated\sin/.test(document.querySelector('.part.panel .view-lines')?.textContent ?? ''),
          undefined,
          { timeout },
        )
        .then(
          () => true,
          () => false,
        );
    // Under load the palette's click can land while its list re-renders and run nothing (seen once
    // in a full run): a second try, and the log must then show.
    await workbench.runCommand('Prompt Lens: Show Log');
    if (!(await logShown(10_000))) {
      console.log('palette: Show Log showed no log within 10 s; running it again');
      await workbench.runCommand('Prompt Lens: Show Log');
      assert.ok(await logShown(30_000), 'the log with its activation line is shown');
    }
    const text = normalise(await output.innerText());
    assert.match(text, /activated in \d+\.\d+ ms/);
    await workbench.screenshot('palette-show-log');
  });

  it('runs "Prompt Lens: New Prompt File" and shows the starter template', async () => {
    await workbench.runCommand('Prompt Lens: New Prompt File');
    await page.locator('.tab.active', { hasText: 'Untitled' }).waitFor();
    await page.waitForFunction(() =>
      document
        .querySelector('.editor-group-container.active .view-lines')
        ?.textContent?.replace(/\s/g, ' ')
        .includes('Write one sentence'),
    );
    const text = await workbench.activeEditorText();
    assert.match(text, /Write one sentence about \{\{ topic \}\}\./);
    assert.match(text, /model: luminous-base/);
    await workbench.screenshot('palette-new-prompt-file');
  });
});
