// The heat on the editor as a person meets it: the painted spans, found by their heat colours, and
// the hover over the strongest one.
import * as assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { normalise } from './workbench';

/**
 * Marks the editor's decoration elements painted with a heat color (`data-heat="positive3"`, ...): their
 * computed background is the theme's value of one of the `promptLens.heat.*` colors.
 */
export async function markHeatSpans(page: Page): Promise<number> {
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

/**
 * Hovers the widest heat span and returns the shown Prompt Lens hover; `textUnder` is what must be
 * under the pointer. The CodeLens above the prompt comes and moves the lines after the heat is first
 * painted (seen under load: the pointer then hit the `---` line), so the lens is waited for and the
 * span is measured until it sits still, and again before each hover.
 */
export async function hoverWidestHeat(page: Page, textUnder: RegExp): Promise<Locator> {
  await page
    .locator('.editor-group-container.active .codelens-decoration')
    .first()
    .waitFor({ timeout: 15_000 });
  const hover = page.locator('.monaco-hover', { hasText: 'Prompt Lens explanation' });
  for (let attempt = 0; ; attempt++) {
    const tag = await widestHeatAtRest(page);
    assert.match(normalise(tag.text), textUnder, 'the text under the widest heat span');
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
    if (shown) return hover;
  }
}
