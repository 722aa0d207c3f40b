// The panel's variables, Expected and Target as a person meets them: a multi-line variable shown as
// it is, values kept per file, "Save as defaults" writing all or none. No server is needed.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { workbenchSuite } from './suite';
import { resultsDir, type Workbench } from './workbench';

describe('panel variables (e2e)', () => {
  let page: Page;
  let workbench: Workbench;

  const panel = (): FrameLocator => workbench.panel();

  /** Scrolls an element of the panel into view; the panel redraws on every message, so once more if it was replaced. */
  async function scrollTo(selector: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await panel().locator(selector).scrollIntoViewIfNeeded({ timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  /** An open file by its tab, else by Quick Open; the panel follows it. */
  async function open(name: string): Promise<void> {
    const tab = page.locator('.tab', { hasText: name });
    if ((await tab.count()) > 0) {
      await tab.first().click();
    } else {
      // Focus a text editor's group first, so the file opens beside the panel, not over it.
      const editorTab = page.locator('.tab', { hasText: '.prompt' });
      if ((await editorTab.count()) > 0) await editorTab.first().click();
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: name }).waitFor();
    }
  }

  const suite = workbenchSuite(() => ({
    // A profile no request goes to: nothing here runs a model.
    'promptLens.profiles': [{ name: 'e2e variables', kind: 'llama-cpp', url: 'http://127.0.0.1:9' }],
    'promptLens.activeProfile': 'e2e variables',
    'workbench.colorTheme': 'Default Light Modern',
  }));
  before(() => ({ page, workbench } = suite));

  it('shows a multi-line variable as it is, keeps Expected and Target per file, and saves variables all or none', async () => {
    await open('vars.prompt');
    await workbench.runCommand('Prompt Lens: Open Panel');
    await panel().locator('#prompt-name', { hasText: 'vars.prompt' }).waitFor({ timeout: 30_000 });
    // Nothing listens on the profile's port: the model list fails, and the pickers stay usable.
    await panel().locator('.pickers .error-text', { hasText: 'Models:' }).waitFor({ timeout: 30_000 });
    for (const picker of ['#profile', '#model']) {
      const box = await panel().locator(picker).boundingBox();
      const viewport = page.viewportSize()?.width ?? 0;
      assert.ok(
        box && box.width > 100 && box.x + box.width <= viewport,
        `${picker} beside the models error: ${JSON.stringify(box)} in a ${viewport} px window`,
      );
    }
    const notes = panel().locator('#var-notes');
    const fileNotes = 'Release 2.3 slips by one week.\nMaria takes over the migration.\n';
    // A textarea holding the value exactly, its final line break said in words.
    assert.equal(await notes.evaluate((e) => e.tagName), 'TEXTAREA');
    assert.equal(await notes.inputValue(), fileNotes);
    assert.match(await panel().locator('#var-notes-ws').innerText(), /ends with ↵ \(1 line break\)/);
    assert.match(await panel().locator('#var-items-reason').innerText(), /Read-only: a list/);
    assert.equal(await panel().locator('#expected').inputValue(), ' The release slips.');
    assert.equal(await panel().locator('#expected-origin').innerText(), 'from the file');

    // Typed for this file: labelled, and kept for it alone.
    await panel().locator('#target').fill(' slips by a week');
    await panel().locator('#target-origin', { hasText: 'edited here' }).waitFor();
    const edited = `${fileNotes}Tom reviews it.  \n`;
    await notes.fill(edited);
    await panel().locator('#var-notes-ws', { hasText: 'ends with ··↵ (2 spaces, 1 line break)' }).waitFor();
    await panel().locator('#var-count').fill('several');

    // One value cannot be written as it is: nothing is written, and the panel says which and why.
    await panel().locator('#save-vars').click();
    const refused = panel().locator('.error-box', { hasText: 'Nothing was saved' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /`count`: the default is a number and "several" is not one/);
    assert.equal(
      await page.locator('.tab.dirty', { hasText: 'vars.prompt' }).count(),
      0,
      'the file is unchanged',
    );
    assert.equal(await notes.inputValue(), edited, 'the typed text is kept');
    await scrollTo('#vars');
    await workbench.screenshot('panel-variables-refused-light');
    // The variables alone, for the README (clipped from the page: the panel sits in nested frames).
    const box = await panel().locator('#vars').boundingBox();
    assert.ok(box, 'the variables are on screen');
    await page.screenshot({ path: path.join(resultsDir, 'panel-variables-form-light.png'), clip: box });

    // Another file shows its own Expected and Target (and not the other file's notice); coming back
    // shows what was typed here, until it is reset to the file's value.
    await open('aleph.prompt');
    await panel().locator('#prompt-name', { hasText: 'aleph.prompt' }).waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('#target').inputValue(), ' hold hands');
    assert.equal(await panel().locator('#target-origin').innerText(), 'from the file');
    assert.equal(await panel().locator('.error-box').count(), 0);
    await open('vars.prompt');
    await panel().locator('#prompt-name', { hasText: 'vars.prompt' }).waitFor({ timeout: 30_000 });
    assert.equal(await panel().locator('#target').inputValue(), ' slips by a week');
    assert.match(await panel().locator('#target-origin').innerText(), /edited here/);
    await panel().locator('#target-reset').click();
    await panel().locator('#target-origin', { hasText: 'from the file' }).waitFor();
    assert.equal(await panel().locator('#target').inputValue(), ' The release slips.');

    // Every value writable: all saved in one go; the form then shows them as the file's.
    await panel().locator('#var-count').fill('4');
    await panel().locator('#save-vars').click();
    await panel().locator('.info-box', { hasText: 'as defaults in vars.prompt' }).waitFor();
    await panel().locator('#save-vars[disabled]').waitFor();
    assert.equal(await notes.inputValue(), edited, 'read back from the file exactly');
    assert.equal(await panel().locator('#var-count').inputValue(), '4');
    await scrollTo('#vars');
    await workbench.screenshot('panel-variables-light');

    await workbench.selectColorTheme('Dark Modern');
    await panel().locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    await scrollTo('#vars');
    await workbench.screenshot('panel-variables-dark');
  });

  it('takes pasted lines whole in a one-line field, and Shift+Enter starts a new line', async () => {
    await open('vars.prompt');
    await panel().locator('#prompt-name', { hasText: 'vars.prompt' }).waitFor({ timeout: 30_000 });
    const target = panel().locator('#target');
    assert.equal(await target.evaluate((e) => e.tagName), 'INPUT', 'a one-line value: a text input');
    await target.click();
    await target.press('End');
    // As the clipboard pastes (a text input would drop the line breaks itself).
    await target.evaluate((element, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      element.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, '\nsecond line\r\nthird');
    await panel().locator('textarea#target').waitFor();
    assert.equal(await panel().locator('#target').inputValue(), ' The release slips.\nsecond line\nthird');
    await panel().locator('#target-origin', { hasText: 'edited here' }).waitFor();

    const expected = panel().locator('#expected');
    await expected.click();
    await expected.press('End');
    await expected.press('Shift+Enter');
    await page.keyboard.type('next');
    await panel().locator('textarea#expected').waitFor();
    assert.equal(await panel().locator('#expected').inputValue(), ' The release slips.\nnext');
    await scrollTo('#targets');
    await workbench.screenshot('panel-targets-multiline-dark');
    await panel().locator('#target-reset').click();
    await panel().locator('#expected-reset').click();
    await panel().locator('input#expected').waitFor();
  });
});
