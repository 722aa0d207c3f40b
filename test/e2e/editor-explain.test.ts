import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startAlephAlphaServer, type AlephAlphaServer } from '../fixtures/alephAlpha/index';
import { workbenchSuite } from './suite';
import { hoverWidestHeat, markHeatSpans } from './heat';
import { type Workbench, normalise } from './workbench';

const PROFILE = 'e2e Aleph Alpha';

describe('editor: Explain Target heat map (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: AlephAlphaServer;

  before(async () => {
    server = await startAlephAlphaServer({ token: 'e2e-token' });
  });
  after(async () => {
    await server?.close();
  });
  const suite = workbenchSuite(() => ({
    'promptLens.profiles': [{ name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' }],
    'promptLens.activeProfile': PROFILE,
    'promptLens.explain.granularity': 'word',
  }));
  before(() => ({ page, workbench } = suite));

  it('sets the API key by typing it into the input box', async () => {
    const rows = await workbench.openPalette('Prompt Lens: Set API Key');
    await rows.first().waitFor();
    await page.keyboard.press('Enter');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor();
    await page.locator('.quick-input-widget', { hasText: `API key for "${PROFILE}"` }).waitFor();
    await page.keyboard.type('e2e-token');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: `API key saved for "${PROFILE}"` }).waitFor();
  });

  it('paints the heat on the .prompt template source and shows the score on hover', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('otter.prompt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'otter.prompt' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'otter.prompt' }).waitFor();
    await page.waitForFunction(() =>
      document
        .querySelector('.editor-group-container.active .view-lines')
        ?.textContent?.includes('surprising'),
    );

    const explainRequests = () => server.requests.filter((r) => r.endpoint === 'explain').length;
    await workbench.runCommand('Prompt Lens: Explain Target');
    const editor = workbench.activeEditor();
    let painted = 0;
    for (let attempt = 0; attempt < 50 && painted < 1; attempt++) {
      painted = await markHeatSpans(page);
      if (painted < 1) await page.waitForTimeout(200);
    }
    assert.equal(explainRequests(), 1, 'one explain request reached the server');
    const body = server.requests.find((r) => r.endpoint === 'explain')?.body as Record<string, unknown>;
    assert.equal(body['target'], ' hold hands', "the front matter's target");
    // Eight scored words; only those with at least 5% of the strongest score are coloured (here the
    // `{{ animal }}.` tag: the fixture's other scores are far weaker), so fewer than eight are painted.
    assert.ok(painted >= 1 && painted <= 8, `${painted} heat spans painted`);

    // The widest span is the `{{ animal }}.` tag: hover it.
    const hover = await hoverWidestHeat(page, /animal/);
    const hoverText = normalise(await hover.innerText());
    assert.match(hoverText, /Score [+-]\d/);
    assert.match(hoverText, /\d+(st|nd|rd|th) of 8 by strength/);
    assert.match(hoverText, /Output of animal: total for the variable/);
    await workbench.screenshot('editor-explain-heatmap');

    // The status bar says which target is shown; Alt+] steps to the first target token.
    const statusBar = page.locator('.part.statusbar');
    await statusBar.getByText('complete target: " hold hands"').waitFor();
    await page.mouse.move(5, 5);
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Alt+BracketRight');
    await statusBar.getByText(/target token 1\/\d+: /).waitFor();
  });
});
