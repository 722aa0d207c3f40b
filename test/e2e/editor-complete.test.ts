import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { createBackend } from '../../src/core/backends/index';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../fixtures/llamaCpp';
import { workbenchSuite } from './suite';
import { type Workbench, normalise } from './workbench';

const PROMPT = 'Once upon a time the cat';
const MAX_TOKENS = 12;

describe('editor: ghost text and token hover', () => {
  let page: Page;
  let workbench: Workbench;
  let server: LlamaCppServerHandle;
  let expected: string;

  before(async () => {
    server = await startLlamaCppServer();
    const backend = await createBackend('llama-cpp', { url: server.url });
    expected =
      (await backend.complete({ prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0 })).completions[0]
        ?.text ?? '';
    await backend.close();
    assert.ok(expected.trim().length > 0);
  });
  after(async () => {
    await server?.close();
  });
  const suite = workbenchSuite(() => ({
    'promptLens.profiles': [{ name: 'llama (e2e)', kind: 'llama-cpp', url: server.url }],
    'promptLens.activeProfile': 'llama (e2e)',
    'promptLens.completion.maxTokens': MAX_TOKENS,
    'promptLens.completion.temperature': 0,
    // The toy model spreads its probability thinly: every generated token is below this.
    'promptLens.hover.underlineLowProbability': true,
    'promptLens.hover.lowProbabilityThreshold': 0.5,
  }));
  before(() => ({ page, workbench } = suite));

  it('Complete Inline (ctrl+alt+space) on a selection shows the completion as ghost text, and Tab accepts it', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="complete"]').first().click();
    await workbench.openFile('ghost.txt');
    await workbench.activeEditor().click();
    await page.keyboard.press('Control+End');
    // Select the last word (a person marking the prompt): Tab must still accept, not replace it.
    await page.keyboard.press('Control+Shift+ArrowLeft');
    // The contributed keybinding (the palette entry's `when: editorTextFocus` hides it from the palette,
    // whose input has the focus when it is evaluated).
    await page.keyboard.press('Control+Alt+Space');
    // Inline ghost text is rendered as `.ghost-text-decoration` spans (`.ghost-text` for extra lines).
    const ghost = workbench.activeEditor().locator('.view-lines [class*="ghost-text"]');
    // The ghost text grows as the completion streams; wait for all of it.
    const firstLine = normalise(expected.split('\n')[0] ?? '').trim();
    await page.waitForFunction(
      (text) =>
        [...document.querySelectorAll('.editor-group-container.active .view-lines [class*="ghost-text"]')]
          .map((e) => e.textContent ?? '')
          .join('')
          .replace(/\u00a0/g, ' ')
          .includes(text),
      firstLine,
      { timeout: 30_000 },
    );
    assert.ok(await ghost.count());
    await workbench.screenshot('editor-ghost-text');
    await page.keyboard.press('Tab');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.editor-group-container.active .view-lines [class*="ghost-text"]')
          .length === 0,
    );
    const text = await workbench.activeEditorText();
    assert.ok(
      text.replace(/\s+/g, ' ').includes((PROMPT + expected).replace(/\s+/g, ' ').trim()),
      `editor text: ${text}`,
    );
  });

  it('hovering a generated token shows its log-probability', async () => {
    // The generated text is painted with a background decoration (adjacent pieces render as one overlay).
    const generated = workbench.activeEditor().locator('.view-overlays .cdr').first();
    await generated.waitFor();
    const box = await generated.boundingBox();
    assert.ok(box, 'the generated text is on screen');
    await page.mouse.move(box.x + Math.min(40, box.width / 3), box.y + box.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: 'log-probability' });
    await hover.first().waitFor({ timeout: 15_000 });
    const content = normalise(await hover.first().innerText());
    assert.match(content, /log-probability -?\d+\.\d+/);
    assert.match(content, /probability (< )?\d+(\.\d+)? ?%/);
    const underlined = await page.evaluate(
      () =>
        [...document.querySelectorAll('.editor-group-container.active .view-overlays .cdr')].filter(
          (overlay) => getComputedStyle(overlay).borderBottomStyle === 'dotted',
        ).length,
    );
    assert.ok(underlined > 0, 'unlikely tokens are underlined');
    await workbench.screenshot('editor-token-hover');
  });
});
