// The Prompt Lens panel as a person uses it: open it from the palette on a .prompt file, run every
// action, read the pictures, edit a parameter, compare two runs, reload, switch themes.
import * as assert from 'node:assert/strict';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { startAlephAlphaServer, type AlephAlphaServer } from '../fixtures/alephAlpha/index';
import { e2e } from './setup';
import { useUserSettings } from './userSettings';
import { Workbench, normalise } from './workbench';

const PROFILE = 'e2e panel Aleph Alpha';
const OTHER_PROFILE = 'e2e panel llama.cpp';

describe('panel (e2e)', () => {
  let page: Page;
  let workbench: Workbench;
  let server: AlephAlphaServer;
  let restoreSettings: (() => void) | undefined;
  const problems: string[] = [];

  const panel = (): FrameLocator => workbench.panel();

  /** The panel's own frame (for listening to its events). */
  async function panelFrame(): Promise<Frame> {
    for (let attempt = 0; attempt < 100; attempt++) {
      for (const frame of page.frames()) {
        const isPanel = await frame
          .evaluate(() => document.title === 'Prompt Lens' && !!document.getElementById('app'))
          .catch(() => false);
        if (isPanel) return frame;
      }
      await page.waitForTimeout(100);
    }
    throw new Error('the panel frame did not appear');
  }

  async function watchCsp(): Promise<void> {
    const frame = await panelFrame();
    await frame.evaluate(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
  }

  async function runAction(button: string): Promise<void> {
    const runs = await panel().locator('.runs .run').count();
    await panel().locator(`#run-${button}`).click();
    await panel().locator('.runs .run').nth(runs).waitFor({ timeout: 30_000 });
    await panel().locator('.result[data-action]').waitFor();
  }

  before(async () => {
    server = await startAlephAlphaServer({ token: 'e2e-token' });
    restoreSettings = useUserSettings({
      'promptLens.profiles': [
        { name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' },
        { name: OTHER_PROFILE, kind: 'llama-cpp', url: 'http://127.0.0.1:9' },
      ],
      'promptLens.activeProfile': PROFILE,
      'promptLens.explain.granularity': 'word',
      'workbench.colorTheme': 'Default Light Modern',
    });
    page = await e2e().browser.newPage();
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy|CSP violation|securitypolicyviolation/i.test(text)) problems.push(text);
    });
    workbench = new Workbench(page);
    await workbench.open(e2e().serverUrl, e2e().freshWorkspace());
  });

  afterEach(async function () {
    await workbench.screenshotIfFailed(this.currentTest);
  });

  after(async () => {
    await page?.close();
    restoreSettings?.();
    await server?.close();
  });

  it('opens from the palette on a .prompt file and shows its parameters and variables', async () => {
    // The API key, typed like a person would.
    await workbench.openPalette('Prompt Lens: Set API Key');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: PROFILE }).first().waitFor();
    await page.keyboard.type(PROFILE);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input[type="password"]').waitFor();
    await page.keyboard.type('e2e-token');
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: `API key saved for "${PROFILE}"` }).waitFor();
    await workbench.runCommand('Notifications: Clear All Notifications');

    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('aleph.prompt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'aleph.prompt' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'aleph.prompt' }).waitFor();

    await workbench.runCommand('Prompt Lens: Open Panel');
    await panel().locator('#prompt-name', { hasText: 'aleph.prompt' }).waitFor({ timeout: 30_000 });
    await watchCsp();
    // The CSP detector works: an inline style attribute (which the panel never uses) is reported.
    const frame = await panelFrame();
    await frame.evaluate(() => {
      const probe = document.createElement('div');
      probe.setAttribute('style', 'color: red');
      document.body.append(probe);
      probe.remove();
    });
    const seen = (): boolean => problems.some((p) => p.startsWith('CSP violation: style-src-attr'));
    for (let i = 0; i < 50 && !seen(); i++) await page.waitForTimeout(100);
    assert.ok(seen(), 'the probe violation was seen');
    await page.waitForTimeout(500);
    problems.length = 0;
    assert.equal(await panel().locator('#param-maximum_tokens').inputValue(), '6');
    assert.equal(await panel().locator('#var-animal').inputValue(), 'otter');
    assert.equal(await panel().locator('#target').inputValue(), ' hold hands');
    const profiles = await panel().locator('#profile option').allInnerTexts();
    assert.deepEqual(profiles.slice(1), [`${PROFILE} (aleph-alpha)`, `${OTHER_PROFILE} (llama-cpp)`]);
    await panel().locator('#model option', { hasText: 'tiny' }).waitFor({ state: 'attached' });
  });

  it('completes, with each token colored by probability and details on hover and focus', async () => {
    await runAction('complete');
    const tokens = panel().locator('.token-stream .tok');
    const count = await tokens.count();
    assert.ok(count > 0, 'tokens drawn');
    const drawn = await tokens.evaluateAll((spans) =>
      spans.map((s) => ({
        className: s.className,
        background: getComputedStyle(s).backgroundColor,
        logprob: Number(s.getAttribute('data-logprob')),
      })),
    );
    for (const token of drawn) {
      assert.match(token.className, /lp[0-3]/);
      assert.notEqual(token.background, 'rgba(0, 0, 0, 0)', 'a colored background');
      const level =
        Math.exp(token.logprob) >= 0.8
          ? 0
          : Math.exp(token.logprob) >= 0.5
            ? 1
            : Math.exp(token.logprob) >= 0.2
              ? 2
              : 3;
      assert.match(token.className, new RegExp(`lp${level}`), 'the color matches the probability');
    }
    await tokens.first().hover();
    assert.match(
      normalise(await panel().locator('.token-details').innerText()),
      /log-probability -?\d.*probability \d/,
    );
    // Keyboard: focus the stream, step with the arrow key; the details follow.
    await tokens.first().focus();
    if (count > 1) {
      await page.keyboard.press('ArrowRight');
      const focused = await panel().locator('.token-stream .tok:focus').getAttribute('data-index');
      assert.equal(focused, '1');
    }
    assert.equal(server.requests.filter((r) => r.endpoint === 'complete').length, 1);
    await workbench.screenshot('panel-complete');
  });

  it('evaluates and shows the metrics', async () => {
    await runAction('evaluate');
    const logP = normalise(await panel().locator('[data-metric="log probability"] td').innerText());
    assert.match(logP, /^-\d/);
    const tokens = normalise(await panel().locator('[data-metric="tokens"] td').innerText());
    assert.ok(Number(tokens) > 0);
    const body = server.requests.find((r) => r.endpoint === 'evaluate')?.body as Record<string, unknown>;
    assert.equal(body['completion_expected'], ' They hold hands while they sleep.');
  });

  it('explains: heatmap over the prompt, sorted bars, and stepping through target tokens', async () => {
    await runAction('explain');
    const heat = panel().locator('.heatmap .heat');
    await heat.first().waitFor();
    const spans = await heat.evaluateAll((elements) =>
      elements.map((e) => ({
        text: e.textContent ?? '',
        className: e.className,
        score: Number(e.getAttribute('data-score')),
        background: getComputedStyle(e).backgroundColor,
      })),
    );
    assert.ok(spans.length >= 5, `${spans.length} heat spans`);
    assert.equal(
      normalise(await panel().locator('.heatmap').innerText()).trim(),
      'Tell me one surprising fact about the otter.',
    );
    const strongest = spans.reduce((a, b) => (Math.abs(b.score) > Math.abs(a.score) ? b : a));
    assert.match(strongest.className, /heat-[pn]4/);
    assert.notEqual(strongest.background, 'rgba(0, 0, 0, 0)');

    const bars = await panel()
      .locator('svg.bars rect.bar')
      .evaluateAll((rects) =>
        rects.map((r) => ({
          width: Number(r.getAttribute('width')),
          score: Number(r.getAttribute('data-score')),
        })),
      );
    assert.equal(bars.length, spans.length);
    for (let i = 1; i < bars.length; i++)
      assert.ok(Math.abs(bars[i - 1]?.score ?? 0) >= Math.abs(bars[i]?.score ?? 0), 'sorted by importance');
    assert.ok((bars[0]?.width ?? 0) >= (bars[bars.length - 1]?.width ?? 0));
    const fills = await panel()
      .locator('svg.bars rect.bar')
      .evaluateAll((rects) => rects.map((r) => getComputedStyle(r).fill));
    for (const fill of fills)
      assert.doesNotMatch(fill, /^none$|rgba|\/ 0?\.\d/, `bars are drawn opaque (${fill})`);
    // A bar has the hue of its sign's heat on the prompt: orange raises, purple lowers.
    const hueOf = (color: string): string => {
      const numbers = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const scale = color.startsWith('color(') ? 255 : 1;
      return numbers.map((n) => Math.round(n * scale)).join(',');
    };
    const signed = await panel()
      .locator('svg.bars rect.bar')
      .evaluateAll((rects) =>
        rects.map((r) => ({ positive: r.classList.contains('bar-pos'), fill: getComputedStyle(r).fill })),
      );
    for (const positive of [true, false]) {
      const span = spans.find((x) => new RegExp(`heat-${positive ? 'p' : 'n'}[1-4]`).test(x.className));
      const bar = signed.find((b) => b.positive === positive);
      if (span && bar)
        assert.equal(hueOf(bar.fill), hueOf(span.background), `${bar.fill} vs ${span.background}`);
    }
    assert.ok(
      spans.some((x) => /heat-n[1-4]/.test(x.className)) && signed.some((b) => !b.positive),
      'the fixture has a span that lowers the target',
    );

    // Totals per variable and promptrange, or the note that this build has none yet.
    const totals = await panel().locator('#totals-ranges').count();
    if (totals === 0)
      await panel().locator('.explanation .muted', { hasText: 'not available in this build' }).waitFor();
    else assert.match(normalise(await panel().locator('#totals-ranges').innerText()), /intro/);

    // Step through the target's tokens with the keyboard.
    const options = panel().locator('.targets [role="option"]');
    assert.equal(
      (await options.allInnerTexts()).map(normalise).slice(1).join(''),
      '␣hold␣hands',
      'one chip per target token, spaces shown',
    );
    await options.first().focus();
    const allScores = await heat.evaluateAll((e) => e.map((x) => x.getAttribute('data-score')).join());
    await page.keyboard.press('ArrowRight');
    await panel().locator('.targets [aria-selected="true"][data-target-index="0"]').waitFor();
    const firstTokenScores = await panel()
      .locator('.heatmap .heat')
      .evaluateAll((e) => e.map((x) => x.getAttribute('data-score')).join());
    assert.notEqual(firstTokenScores, allScores, 'the heatmap shows the first target token alone');
    await panel().locator('.explanation').scrollIntoViewIfNeeded();
    await workbench.screenshot('panel-light');
  });

  it('shows the prompt as tokens', async () => {
    await runAction('tokenize');
    const count = Number(await panel().locator('#token-count').innerText());
    assert.equal(await panel().locator('.prompt-tokens .ptok').count(), count);
    assert.equal(
      normalise(await panel().locator('.prompt-tokens').innerText()).trim(),
      'Tell me one surprising fact about the otter.',
    );
  });

  it('edits a parameter in the file from the form, and runs with a typed variable without editing the file', async () => {
    const field = panel().locator('#param-maximum_tokens');
    await field.fill('4');
    await field.press('Enter');
    // The panel's group is the active one now: read the text editor's lines.
    const editorLines = page.locator('.monaco-editor .view-lines', { hasText: 'maximum_tokens' }).first();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.monaco-editor .view-lines')).some((e) =>
        e.textContent?.replace(/\u00a0/g, ' ').includes('maximum_tokens: 4'),
      ),
    );
    const text = normalise(await editorLines.innerText());
    assert.match(text, /model: luminous-base\s+params:\s+maximum_tokens: 4\s+temperature: 0/);

    await panel().locator('#var-animal').fill('beaver');
    await runAction('explain');
    assert.match(normalise(await panel().locator('.heatmap').innerText()), /about the beaver\./);
    assert.doesNotMatch(
      normalise(await editorLines.innerText()),
      /beaver/,
      'the variable stays out of the file',
    );
    const explain = server.requests.filter((r) => r.endpoint === 'explain').pop()?.body as {
      prompt: unknown;
    };
    assert.match(JSON.stringify(explain.prompt), /beaver/);
    await runAction('complete');
    const complete = server.requests.filter((r) => r.endpoint === 'complete').pop()?.body as {
      prompt: unknown;
      maximum_tokens: number;
    };
    assert.match(JSON.stringify(complete.prompt), /beaver/);
    assert.equal(complete.maximum_tokens, 4, 'the edited parameter is used');
  });

  it('compares two explain runs: prompt diff, log-probability and segment score changes', async () => {
    const rows = panel().locator('.runs .run');
    assert.equal(await rows.count(), 6);
    // Keyboard only: focus the newest run, Space marks it; ArrowDown to the older explain run.
    const explainRows = await rows.evaluateAll((items) =>
      items
        .map((item, index) => ({ index, text: item.textContent ?? '' }))
        .filter((r) => r.text.startsWith('Explain'))
        .map((r) => r.index),
    );
    assert.deepEqual(explainRows, [1, 3]);
    await rows.nth(1).focus();
    await page.keyboard.press('Space');
    await panel().locator('.runs .run.marked').first().waitFor();
    await panel().locator('.runs .run').nth(1).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await panel().locator('#compare-runs:not([disabled])').click();

    await panel().locator('#prompt-diff').waitFor();
    assert.equal(normalise(await panel().locator('#prompt-diff del').innerText()), 'otter');
    assert.equal(normalise(await panel().locator('#prompt-diff ins').innerText()), 'beaver');
    const deltas = panel().locator('#segment-deltas tbody tr');
    assert.ok((await deltas.count()) >= 5);
    const segmentNames = await panel().locator('#segment-deltas tbody th').allInnerTexts();
    assert.ok(segmentNames.includes('surprising'), segmentNames.join('|'));
    assert.match(
      normalise(await panel().locator('.changes').innerText()),
      /maximum_tokens: 6 → 4\s+animal: \(default\) → "beaver"/,
    );
    await panel().locator('#compare-title').scrollIntoViewIfNeeded();
    await workbench.screenshot('panel-compare');
    await panel().locator('#close-compare').click();

    // The two Complete runs (mouse this time): completion diff and change in log-probability.
    for (const index of [1, 3]) await rows.nth(index).locator('input[type="checkbox"]').click();
    assert.equal(await panel().locator('.runs .run.marked').count(), 0);
    for (const index of [0, 5]) await rows.nth(index).locator('input[type="checkbox"]').click();
    await panel().locator('#compare-runs:not([disabled])').click();
    await panel().locator('#completion-diff').waitFor();
    const delta = Number(await panel().locator('#logprob-change [data-delta]').getAttribute('data-delta'));
    assert.ok(Number.isFinite(delta), 'a numeric change in log-probability');
    const values = await panel().locator('#logprob-change td.num').allInnerTexts();
    assert.ok(
      values.slice(0, 2).every((v) => /^-?\d/.test(v)),
      values.join('|'),
    );
    await panel().locator('#close-compare').click();
    // Back to the explain pair for the reload check.
    for (const index of [0, 5, 1, 3]) await rows.nth(index).locator('input[type="checkbox"]').click();
  });

  it('comes back after a reload with its history and the shown run', async () => {
    // Reload the window the way a person does (the workbench saves the webview's state on the way out).
    await workbench.runCommand('Developer: Reload Window');
    await page.waitForLoadState('load');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await panel().locator('.runs .run').nth(5).waitFor({ timeout: 60_000 });
    await watchCsp();
    await panel().locator('.result[data-action]').waitFor();
    assert.equal(await panel().locator('.runs .run.marked').count(), 2, 'the marks for comparison are kept');
  });

  it('follows the theme: dark screenshot, and no CSP violation anywhere', async () => {
    await panel().locator('.runs .run').nth(1).click();
    await panel().locator('.heatmap .heat').first().waitFor();
    const lightForeground = await panel()
      .locator('body')
      .evaluate((body) => getComputedStyle(body).color);
    await workbench.selectColorTheme('Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
    await panel().locator('body.vscode-dark').waitFor({ timeout: 30_000 });
    const darkForeground = await panel()
      .locator('body')
      .evaluate((body) => getComputedStyle(body).color);
    assert.notEqual(darkForeground, lightForeground, 'text color comes from the theme');
    await panel().locator('.explanation').scrollIntoViewIfNeeded();
    await workbench.screenshot('panel-dark');
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('follows the active editor, and overlays an image prompt’s tile heatmap on the image', async () => {
    // Focus the text editor's group so the file opens beside the panel, not over it.
    await page.locator('.tab', { hasText: 'aleph.prompt' }).first().click();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('image.prompt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'image.prompt' }).first().waitFor();
    await page.keyboard.press('Enter');
    await panel().locator('#prompt-name', { hasText: 'image.prompt' }).waitFor({ timeout: 30_000 });
    await runAction('explain');
    const figure = panel().locator('.heatmap .image-heat');
    await figure.locator('img').waitFor();
    const image = await figure.locator('img').evaluate((img: HTMLImageElement) => ({
      complete: img.complete,
      width: img.naturalWidth,
      src: img.src.slice(0, 22),
    }));
    assert.deepEqual(image, { complete: true, width: 16, src: 'data:image/png;base64,' });
    const tiles = await figure.locator('.tile').evaluateAll((elements) =>
      elements.map((e) => ({
        className: e.className,
        left: (e as HTMLElement).style.left,
        width: e.getBoundingClientRect().width,
      })),
    );
    assert.ok(tiles.length > 1, `${tiles.length} tiles`);
    assert.ok(
      tiles.every((t) => /heat-(p|n)\d|heat-0/.test(t.className) && t.left.endsWith('%') && t.width > 0),
    );
    // One scale for text and tiles (checked above: every tile has a heat class on it). Since the
    // first-hour fix, tiles under 5 % of the strongest score stay uncoloured, as text does.
    await figure.scrollIntoViewIfNeeded();
    await workbench.screenshot('panel-image');
    assert.deepEqual(problems, [], problems.join('\n'));
  });

  it('a run the server turned away (503) offers Retry, which runs it again', async () => {
    // Retry-After beyond what the client waits on its own: the 503 reaches the panel at once.
    server.setFaults({ endpoint: 'complete', statuses: [{ status: 503, retryAfter: 120 }] });
    const completes = () => server.requests.filter((r) => r.endpoint === 'complete').length;
    const before = completes();
    const runs = await panel().locator('.runs .run').count();
    await panel().locator('#run-complete').click();
    const failed = panel().locator('.error-box[data-kind="busy"]');
    await failed.waitFor({ timeout: 30_000 });
    assert.match(await failed.innerText(), /Retry runs complete again with the values in the form/);
    await workbench.screenshot('panel-retry-dark');
    await panel().locator('#retry').click();
    await panel().locator('.runs .run').nth(runs).waitFor({ timeout: 30_000 });
    await failed.waitFor({ state: 'detached' });
    await panel().locator('.result[data-action="complete"]').waitFor();
    assert.equal(await panel().locator('.error-box').count(), 0);
    assert.equal(completes() - before, 2, 'the turned-away request and the retried one');
  });

  it('shows the other completions of an n > 1 run below the first', async () => {
    // `n: 2` added from the form, as a person does: it goes into the file's params.
    await panel().locator('#new-param-name').selectOption('n');
    await panel().locator('#new-param-value').fill('2');
    await panel().locator('#add-param').click();
    await panel().locator('#param-n').waitFor();
    await runAction('complete');
    const others = panel().locator('.other-completions');
    await others.waitFor();
    assert.match(await others.locator('summary').innerText(), /1 more completion \(n = 2\)/);
    assert.equal(await others.locator('.other-completion').count(), 1);
    assert.match(await others.locator('.other-completion h4').innerText(), /^Completion 2 \(/);
    await others.scrollIntoViewIfNeeded();
    await workbench.screenshot('panel-other-completions-dark');
  });
});
