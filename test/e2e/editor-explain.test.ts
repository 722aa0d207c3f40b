import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startAlephAlphaServer, type AlephAlphaServer } from '../fixtures/alephAlpha/index';
import { useUserSettings } from './userSettings';
import { Workbench, normalise } from './workbench';

const PROFILE = 'e2e Aleph Alpha';

/**
 * Marks the editor's decoration elements painted with a heat color (`data-heat="positive3"`, ...): their
 * computed background is the theme's value of one of the `promptLens.heat.*` colors.
 */
async function markHeatSpans(page: Page): Promise<number> {
  return page.evaluate(() => {
    const workbench = document.querySelector('.monaco-workbench');
    if (!workbench) return 0;
    const probe = document.createElement('div');
    document.body.appendChild(probe);
    const colors = new Map<string, string>();
    for (const sign of ['positive', 'negative']) {
      for (let step = 1; step <= 4; step++) {
        const value = getComputedStyle(workbench)
          .getPropertyValue(`--vscode-promptLens-heat-${sign}${step}`)
          .trim();
        if (!value) continue;
        probe.style.backgroundColor = value;
        colors.set(getComputedStyle(probe).backgroundColor, `${sign}${step}`);
      }
    }
    probe.remove();
    let marked = 0;
    for (const element of Array.from(
      document.querySelectorAll('.editor-group-container.active .view-overlays .cdr'),
    )) {
      const heat = colors.get(getComputedStyle(element).backgroundColor);
      if (heat) {
        element.setAttribute('data-heat', heat);
        marked++;
      }
    }
    return marked;
  });
}

interface HeatPoint {
  x: number;
  y: number;
  text: string;
}

/** The middle of the widest painted heat span and the text under it, once two looks 250 ms apart agree. */
async function widestHeatAtRest(page: Page): Promise<HeatPoint> {
  let previous: HeatPoint | undefined;
  for (let look = 0; look < 40; look++) {
    await markHeatSpans(page);
    const current = await page.evaluate(() => {
      const spans = Array.from(
        document.querySelectorAll('.editor-group-container.active .view-overlays [data-heat]'),
      ).map((e) => e.getBoundingClientRect());
      if (spans.length === 0) return undefined;
      const widest = spans.reduce((a, b) => (b.width > a.width ? b : a));
      const x = widest.x + widest.width / 2;
      const y = widest.y + widest.height / 2;
      return { x, y, text: document.elementFromPoint(x, y)?.textContent ?? '' };
    });
    if (
      current &&
      previous &&
      current.x === previous.x &&
      current.y === previous.y &&
      current.text === previous.text
    ) {
      return current;
    }
    previous = current;
    await page.waitForTimeout(250);
  }
  throw new Error(
    `the widest heat span did not come to rest within 10 s (last seen: ${JSON.stringify(previous)})`,
  );
}

describe('editor: Explain Target heat map (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: AlephAlphaServer;
  let restoreSettings: (() => void) | undefined;

  before(async () => {
    server = await startAlephAlphaServer({ token: 'e2e-token' });
    restoreSettings = useUserSettings({
      'promptLens.profiles': [
        { name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' },
      ],
      'promptLens.activeProfile': PROFILE,
      'promptLens.explain.granularity': 'word',
    });
    workbench = await Workbench.start();
    page = workbench.page;
  });

  afterEach(async function () {
    await workbench.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await page?.close();
    restoreSettings?.();
    await server?.close();
  });

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

    // The widest span is the `{{ animal }}.` tag: hover it. A CodeLens or re-render can move the lines
    // after the heat is first seen (seen once under load: the point then hit the `---` line), so the
    // span is measured until it sits still over the tag, and measured again before every hover.
    const hover = page.locator('.monaco-hover', { hasText: 'Prompt Lens explanation' });
    for (let attempt = 0; ; attempt++) {
      const tag = await widestHeatAtRest(page);
      assert.match(normalise(tag.text), /animal/, 'the text under the widest heat span');
      // A hover starts on a mouse move into the word; under load the first one is sometimes lost (seen
      // once in a full run), so the pointer leaves and comes back before the hover must show.
      await page.mouse.move(5, 5);
      await page.mouse.move(tag.x, tag.y, { steps: 4 });
      const shown = await hover.waitFor({ timeout: attempt < 2 ? 5_000 : 15_000 }).then(
        () => true,
        (error: unknown) => {
          if (attempt >= 2) throw error;
          return false;
        },
      );
      if (shown) break;
    }
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
