import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { renderPromptFile } from '../../src/core/promptFile/index';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../fixtures/llamaCpp/index';
import { e2e } from './setup';
import { Workbench, normalise } from './workbench';

const PROFILE = 'e2e llama.cpp';

/** The user settings file of the shared code-server (exposed by scripts/run-e2e.mjs). */
function settingsFile(): string {
  const { userDataDir } = e2e() as ReturnType<typeof e2e> & { userDataDir?: string };
  if (!userDataDir) throw new Error('scripts/run-e2e.mjs does not expose userDataDir');
  return path.join(userDataDir, 'User', 'settings.json');
}

/** Decoration elements with a background in the active editor, by class (token backgrounds alternate between two). */
async function paintedBackgrounds(page: Page): Promise<{ classes: number; elements: number }> {
  return page.evaluate(() => {
    const byClass = new Map<string, number>();
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    for (const element of Array.from(editor?.querySelectorAll('.view-overlays [class*="ced-"]') ?? [])) {
      const background = getComputedStyle(element).backgroundColor;
      if (!background || background === 'transparent' || background === 'rgba(0, 0, 0, 0)') continue;
      const name = Array.from(element.classList).find((c) => c.startsWith('ced-')) ?? '';
      byClass.set(name, (byClass.get(name) ?? 0) + 1);
    }
    return { classes: byClass.size, elements: [...byClass.values()].reduce((a, b) => a + b, 0) };
  });
}

describe('editor: a .prompt file in the browser', () => {
  let server: LlamaCppServerHandle;
  let page: Page;
  let workbench: Workbench;
  let folder: string;
  let originalSettings: string;

  before(async () => {
    server = await startLlamaCppServer();
    // Settings are read when the window opens: point the active profile at the test server first.
    originalSettings = fs.readFileSync(settingsFile(), 'utf8');
    const settings = {
      ...JSON.parse(originalSettings),
      'promptLens.profiles': [{ name: PROFILE, kind: 'llama-cpp', url: server.url }],
      'promptLens.activeProfile': PROFILE,
    };
    fs.writeFileSync(settingsFile(), JSON.stringify(settings, null, 2));
    folder = e2e().freshWorkspace();
    workbench = await Workbench.start(folder);
    page = workbench.page;
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="prompt-files"]').first().click();
  });

  afterEach(async function () {
    await workbench.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    // Leave the workbench layout as it was found (the Problems panel was opened here); code-server
    // keeps layout state per user, and the next test file's window would restore it.
    await page?.keyboard.press('Escape');
    await workbench?.runCommand('View: Hide Panel').catch(() => undefined);
    await page?.close();
    fs.writeFileSync(settingsFile(), originalSettings);
    await server?.close();
  });

  it('shows Complete · Evaluate · Explain and the token count above the prompt, and Show Tokens paints the tokens', async () => {
    await workbench.openFile('count.prompt');
    const source = fs.readFileSync(path.join(folder, 'prompt-files', 'count.prompt'), 'utf8');
    const expected = server.model.tokenize(
      (await renderPromptFile(source, { backendKind: 'llama-cpp' })).text,
    ).length;
    const lens = workbench.activeEditor().locator('.codelens-decoration').first();
    await page.waitForFunction(
      (count) =>
        new RegExp(`${count} tokens`).test(
          document.querySelector('.editor-group-container.active .codelens-decoration')?.textContent ?? '',
        ),
      expected,
      { timeout: 30_000 },
    );
    const text = normalise(await lens.innerText())
      .replace(/\s+/g, ' ')
      .trim();
    assert.equal(text, `Complete | Evaluate | Explain | ${expected} tokens`);
    const status = normalise(
      await page
        .locator('.statusbar-item', { hasText: `${expected} tokens` })
        .first()
        .innerText(),
    );
    assert.match(status, new RegExp(`${PROFILE}.*${expected} tokens`));

    assert.equal((await paintedBackgrounds(page)).elements, 0);
    await workbench.runCommand('Prompt Lens: Show Tokens');
    await page.waitForFunction(
      () => document.querySelector('.editor-group-container.active .view-overlays [class*="ced-"]') !== null,
    );
    const painted = await paintedBackgrounds(page);
    assert.equal(painted.classes, 2, 'two alternating backgrounds');
    // The {{ animal }} tag's tokens share one background; every other token has its own.
    assert.ok(
      painted.elements >= expected - 6 && painted.elements <= expected,
      `${painted.elements} painted for ${expected} tokens`,
    );

    // Hovering the variable lists the ids of the tokens its value became.
    const tag = workbench
      .activeEditor()
      .locator('.view-line', { hasText: 'animal' })
      .locator('span', { hasText: 'animal' })
      .last();
    await tag.hover();
    const hover = page.locator('.monaco-hover', { hasText: 'id ' }).first();
    await hover.waitFor({ timeout: 10_000 });
    assert.match(normalise(await hover.innerText()), /tokens? of this tag's output[\s\S]*id \d+/);
    await workbench.screenshot('editor-codelens-tokens');
    await page.keyboard.press('Escape');

    await workbench.runCommand('Prompt Lens: Hide Tokens');
    await page.waitForFunction(
      () => document.querySelector('.editor-group-container.active .view-overlays [class*="ced-"]') === null,
    );
  });

  it('marks a broken template with a squiggle and a Problems entry', async () => {
    await workbench.openFile('broken.prompt');
    const squiggle = workbench.activeEditor().locator('.squiggly-error').first();
    await squiggle.waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item[id="status.problems"]').first().click();
    const entry = page
      .locator('.markers-panel .monaco-list-row', { hasText: 'Undefined variable: nme' })
      .first();
    await entry.waitFor({ timeout: 15_000 });
    const row = normalise(await entry.innerText());
    assert.match(row, /Prompt Lens/);
    assert.match(row, /\[Ln 6, Col 12\]/);
    // No prompt to count while the template is broken: the lens says what to do instead.
    await page.waitForFunction(
      () =>
        /tokens: fix the template first/.test(
          document.querySelector('.editor-group-container.active .codelens-decoration')?.textContent ?? '',
        ),
      null,
      { timeout: 15_000 },
    );
    await workbench.screenshot('editor-diagnostics');
  });
});
