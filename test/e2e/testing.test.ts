// The Test Explorer in the packaged extension: lists the example's prompt tests (the dataset too),
// runs them on the llama.cpp test server, shows failures with their message; screenshots in the
// light and dark themes for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../fixtures/llamaCpp/index';
import { e2e } from './setup';
import { useUserSettings } from './userSettings';
import { Workbench } from './workbench';

const PROFILE = 'e2e llama.cpp';
const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', 'tests');

describe('Test Explorer: prompt tests of the example (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: LlamaCppServerHandle;
  let restoreSettings: (() => void) | undefined;

  before(async () => {
    server = await startLlamaCppServer({ slots: 2, embeddings: true });
    restoreSettings = useUserSettings({
      'promptLens.profiles': [{ name: PROFILE, kind: 'llama-cpp', url: server.url }],
      'promptLens.activeProfile': PROFILE,
    });
    const workspace = e2e().freshWorkspace();
    // Only the example's tests in this window: the fixture workspace's own test file is removed.
    fs.rmSync(path.join(workspace, 'tests'), { recursive: true, force: true });
    fs.cpSync(EXAMPLE, path.join(workspace, 'capitals'), { recursive: true });
    page = await e2e().browser.newPage();
    await page.setViewportSize({ width: 1400, height: 860 });
    workbench = new Workbench(page);
    await workbench.open(e2e().serverUrl, workspace);
  });

  afterEach(async function () {
    await workbench.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await page?.close();
    restoreSettings?.();
    await server?.close();
  });

  const row = (label: string) => page.locator('.test-explorer .monaco-list-row', { hasText: label }).first();
  const expand = async (label: string) => {
    const target = row(label);
    if ((await target.getAttribute('aria-expanded')) === 'false')
      await target.locator('.monaco-tl-twistie').click();
  };

  it('lists the example file, its cases and (expanded) its dataset in the Test Explorer', async () => {
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="capitals"]').first().click();
    await workbench.openFile('capitals.prompt');
    await workbench.runCommand('Testing: Focus on Test Explorer View');
    await row('capitals.prompt').waitFor({ timeout: 60_000 });
    await expand('capitals.prompt');
    for (const name of ['france', 'japan', 'answers without inventing the next question', 'capitals.jsonl'])
      await row(name).waitFor({ timeout: 30_000 });
    await expand('capitals.jsonl');
    for (const name of ['germany', 'spain', 'canada']) await row(name).waitFor({ timeout: 30_000 });
  });

  it('runs them on the server: passed and failed cases, a failure message with what came', async () => {
    await workbench.runCommand('Test: Run All Tests');
    const failed = page.locator('.test-explorer .monaco-list-row .codicon-testing-failed-icon');
    const passed = page.locator('.test-explorer .monaco-list-row .codicon-testing-passed-icon');
    await passed.first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.test-explorer .monaco-list-row .codicon-testing-failed-icon').length >= 5,
      undefined,
      { timeout: 120_000 },
    );
    const completions = server.requests.filter((r) => r.path === '/completion').length;
    assert.ok(completions > 0, 'the cases reached the llama.cpp server');
    assert.ok((await failed.count()) >= 5);
    const passedRow = page.locator('.test-explorer .monaco-list-row', {
      has: page.locator('.codicon-testing-passed-icon'),
    });
    assert.ok(
      (await passedRow.allInnerTexts()).some((t) =>
        t.includes('answers without inventing the next question'),
      ),
      'the case that holds passed',
    );
    // The failure's message, in the peek at the case's line.
    await row('spain').dblclick();
    const peek = page.locator('.test-output-peek, .peekview-widget').first();
    await peek.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    await workbench.screenshot('tests-peek-light');
    await page
      .locator('.peekview-widget .codicon-close, .peekview-widget .codicon-peek-close')
      .first()
      .click();
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('capitals.prompt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'capitals.prompt' }).first().click();
    await page.locator('.tab.active', { hasText: 'capitals.prompt' }).waitFor();
    await page.locator('.codelens-decoration', { hasText: 'Run tests' }).first().waitFor({ timeout: 30_000 });
    await workbench.screenshot('test-explorer-light');
  });

  it('follows the theme: dark screenshot', async () => {
    await workbench.selectColorTheme('Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
    await row('france').waitFor();
    await page.waitForTimeout(1000);
    await workbench.screenshot('test-explorer-dark');
  });
});
