import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatScore } from '../../../src/core/explain/heat';
import { originOf } from '../../../src/core/profile';
import type { Ctx } from '../../../src/ctx';
import type { HeatmapSnapshot } from '../../../src/features/explain/heatmap';
import { startAlephAlphaServer, type AlephAlphaServer } from '../../fixtures/alephAlpha/index';
import { extensionCtx, useProfiles } from './helpers';
import {
  heatmapOf,
  open,
  resetExplainSettings,
  windowStubsPerTest,
  words,
  type WindowStubs,
} from './helpers/explain';

const PROFILE = 'editor explain test';
const TARGET = ' hold hands';

describe('editor: Explain Target heat map', () => {
  let server: AlephAlphaServer;
  let ctx: Ctx;
  let restoreProfiles: () => Promise<void>;
  const stubForTest = windowStubsPerTest();
  let errors: string[];
  let inputBoxes: { value: string | undefined }[];

  const heatmap = () => heatmapOf(ctx);
  const snapshot = (): HeatmapSnapshot | undefined => heatmap().snapshot();
  const explainRequests = () => server.requests.filter((r) => r.endpoint === 'explain');

  /** Stubs the error message (a failure must show up as an assertion, not as a dialog) and the target input box. */
  function stubDialogs(extra: WindowStubs = {}, typedTarget: string | undefined = TARGET): void {
    stubForTest({
      showErrorMessage: async (message: string) => {
        errors.push(message);
        return undefined;
      },
      showInputBox: async (options?: vscode.InputBoxOptions) => {
        inputBoxes.push({ value: options?.value });
        return typedTarget;
      },
      ...extra,
    });
  }

  before(async () => {
    server = await startAlephAlphaServer();
    ctx = await extensionCtx();
    restoreProfiles = await useProfiles(
      [{ name: PROFILE, kind: 'aleph-alpha', url: server.url, model: 'luminous-base' }],
      PROFILE,
    );
    await ctx.secrets.store(
      `promptLens.apiKey/${PROFILE}`,
      JSON.stringify({ origin: originOf(server.url), token: 'test-token' }),
    );
    const settings = vscode.workspace.getConfiguration('promptLens');
    await settings.update('explain.granularity', 'word', vscode.ConfigurationTarget.Global);
  });

  beforeEach(() => {
    errors = [];
    inputBoxes = [];
  });

  after(async () => {
    await resetExplainSettings();
    await ctx.secrets.delete(`promptLens.apiKey/${PROFILE}`);
    await restoreProfiles();
    await server.close();
  });

  it('paints the words of a selection and asks for the target in an input box', async () => {
    const editor = await open('fact.txt');
    const firstLine = editor.document.lineAt(0).range;
    editor.selection = new vscode.Selection(firstLine.start, firstLine.end);
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.deepEqual(errors, []);
    assert.equal(inputBoxes.length, 1);

    const body = explainRequests().at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body['prompt'], [{ type: 'text', data: editor.document.getText(firstLine) }]);
    assert.equal(body['target'], TARGET);
    assert.equal(body['target_granularity'], 'token');
    assert.deepEqual(body['prompt_granularity'], { type: 'word' });

    const shown = snapshot();
    assert.ok(shown, 'an explanation is shown');
    assert.deepEqual(
      shown.spans.map((s) => s.text),
      words(editor.document.getText(firstLine)),
    );
    for (const span of shown.spans)
      assert.ok(span.end <= editor.document.offsetAt(firstLine.end), 'no span outside the selection');
    assert.equal(shown.label, `complete target: ${JSON.stringify(TARGET)}`);
    assert.ok(
      shown.spans.some((s) => Math.abs(s.step) === 4),
      'the strongest span gets the strongest color',
    );
  });

  it('paints the whole plain document without a selection, and offers the last target again', async () => {
    const editor = await open('fact.txt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.deepEqual(errors, []);
    assert.deepEqual(inputBoxes, [{ value: TARGET }]);
    const shown = snapshot();
    assert.ok(shown);
    assert.deepEqual(
      shown.spans.map((s) => s.text),
      words(editor.document.getText()),
    );
  });

  it('paints a .prompt template source, the output tag whole, and hovers show score, rank and the variable', async () => {
    const editor = await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.deepEqual(errors, []);
    assert.equal(inputBoxes.length, 0, "the front matter's target is used");
    const body = explainRequests().at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body['prompt'], [
      { type: 'text', data: 'Tell me one surprising fact about the sea otter.\n' },
    ]);
    assert.equal(body['target'], TARGET);

    const shown = snapshot();
    assert.ok(shown);
    assert.deepEqual(
      shown.spans.map((s) => s.text),
      ['Tell', 'me', 'one', 'surprising', 'fact', 'about', 'the', '{{ animal }}.'],
    );
    const tag = shown.spans.at(-1);
    assert.ok(tag);
    assert.deepEqual(tag.variables, ['animal']);

    const inside = editor.document.positionAt(tag.start + 4);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      inside,
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .find((v) => v.includes('Prompt Lens explanation'));
    assert.ok(text, `our hover is among ${hovers.length} hover(s)`);
    assert.ok(text.includes(formatScore(tag.score)), text);
    assert.match(text, new RegExp(`\\d+(st|nd|rd|th) of ${shown.spans.length} by strength`));
    assert.match(text, /Output of `animal`: total for the variable/);

    const between = editor.document.positionAt(shown.spans[0]!.end);
    const none = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      between,
    );
    assert.ok(
      !none.some((h) =>
        h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('Prompt Lens explanation')),
      ),
    );
  });

  it('steps through the target tokens; the complete view is their sum', async () => {
    await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    const complete = snapshot();
    assert.ok(complete && complete.tokenCount > 1, 'per-token explanations are available');
    const sums = new Map<number, number>();
    for (let token = 0; token < complete.tokenCount; token++) {
      await vscode.commands.executeCommand('promptLens.nextTargetToken');
      const view = snapshot();
      assert.ok(view);
      assert.equal(view.viewIndex, token);
      assert.match(view.label, new RegExp(`^target token ${token + 1}/${complete.tokenCount}: ".*"$`));
      for (const span of view.spans) sums.set(span.start, (sums.get(span.start) ?? 0) + span.score);
    }
    for (const span of complete.spans)
      assert.ok(Math.abs((sums.get(span.start) ?? 0) - span.score) < 1e-9, `sum over tokens at ${span.text}`);

    await vscode.commands.executeCommand('promptLens.nextTargetToken');
    assert.equal(snapshot()?.viewIndex, -1, 'after the last token comes the complete target');
    await vscode.commands.executeCommand('promptLens.previousTargetToken');
    assert.equal(snapshot()?.viewIndex, complete.tokenCount - 1);
    await vscode.commands.executeCommand('promptLens.previousTargetToken');
    assert.equal(snapshot()?.viewIndex, complete.tokenCount - 2);
  });

  it('Clear Explanation removes the decorations and the hovers', async () => {
    const editor = await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    const shown = snapshot();
    assert.ok(shown);
    await vscode.commands.executeCommand('promptLens.clearExplanation');
    assert.equal(snapshot(), undefined);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      editor.document.positionAt(shown.spans[0]!.start + 1),
    );
    assert.ok(
      !hovers.some((h) =>
        h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('Prompt Lens explanation')),
      ),
    );
  });

  it('moves the spans with an edit before them and drops a span whose text is edited', async () => {
    const editor = await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    const before = snapshot();
    assert.ok(before);
    const tell = before.spans[0]!;

    await editor.edit((e) => e.insert(editor.document.positionAt(tell.start), 'Please, '));
    const moved = snapshot();
    assert.ok(moved);
    assert.deepEqual(
      moved.spans.map((s) => s.text),
      before.spans.map((s) => s.text),
    );
    assert.equal(moved.spans[0]!.start, tell.start + 'Please, '.length);
    assert.equal(moved.stale, true, 'an edit before the scored text makes the heat stale');
    assert.equal(heatmap().statusState?.stale, true);
    assert.match(heatmap().statusState?.text ?? '', /stale: /);

    const surprising = moved.spans.find((s) => s.text === 'surprising');
    assert.ok(surprising);
    await editor.edit((e) =>
      e.replace(
        new vscode.Range(
          editor.document.positionAt(surprising.start + 2),
          editor.document.positionAt(surprising.start + 3),
        ),
        'R',
      ),
    );
    const dropped = snapshot();
    assert.ok(dropped);
    assert.deepEqual(
      dropped.spans.map((s) => s.text),
      before.spans.map((s) => s.text).filter((t) => t !== 'surprising'),
    );
    for (const span of dropped.spans)
      assert.equal(
        editor.document.getText(
          new vscode.Range(editor.document.positionAt(span.start), editor.document.positionAt(span.end)),
        ),
        span.text,
      );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('keeps the heat current when text is only appended after the prompt', async () => {
    const editor = await open('fact.txt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    assert.equal(snapshot()?.stale, false);
    const end = editor.document.positionAt(editor.document.getText().length);
    await editor.edit((e) => e.insert(end, 'A completion.'));
    assert.equal(snapshot()?.stale, false, 'text after the prompt does not change its scores');
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'So: '));
    assert.equal(snapshot()?.stale, true);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('shows its status item only on the explained document, with the scale, keys and actions', async () => {
    await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    const status = () => heatmap().statusState;
    assert.equal(status()?.visible, true);
    assert.match(status()?.text ?? '', /complete target: " hold hands" · Alt\+\] \/ Alt\+\[/);
    assert.match(status()?.tooltip ?? '', /below 5% of it stay uncoloured/);
    assert.match(status()?.tooltip ?? '', /Alt\+\] \/ Alt\+\[: next \/ previous of the \d+ target tokens/);

    await open('fact.txt');
    assert.equal(status()?.visible, false, 'hidden on another document');
    await open('otter.prompt');
    assert.equal(status()?.visible, true, 'back on the explained document');

    let offered: string[] = [];
    stubDialogs({
      showQuickPick: async (items: readonly (vscode.QuickPickItem & { command: string })[]) => {
        offered = items.map((i) => `${i.label} ${i.description ?? ''}`.trim());
        return items.find((i) => i.command === 'promptLens.nextTargetToken');
      },
    });
    await vscode.commands.executeCommand('promptLens.explanationActions');
    assert.deepEqual(offered, [
      '$(arrow-right) Next target token Alt+]',
      '$(arrow-left) Previous target token Alt+[',
      '$(refresh) Explain Target again',
      '$(close) Clear Explanation',
    ]);
    assert.equal(snapshot()?.viewIndex, 0, 'the picked action ran');
  });

  it('puts the scale and the stepping keys in the hover', async () => {
    const editor = await open('otter.prompt');
    stubDialogs();
    await vscode.commands.executeCommand('promptLens.explain');
    const strongest = snapshot()?.spans.find((s) => Math.abs(s.step) === 4);
    assert.ok(strongest);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      editor.document.positionAt(strongest.start + 1),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .find((v) => v.includes('Prompt Lens explanation'));
    assert.ok(text);
    assert.match(text, /step 4 of 4 \(75–100% of the strongest\)/);
    assert.match(text, /\*Scale\*: Orange: helped produce the target; purple: worked against it/);
    assert.match(text, /Alt\+\] \/ Alt\+\[: next \/ previous of the \d+ target tokens/);
  });

  it('lands on the right text when the document is edited while the explanation runs', async () => {
    const editor = await open('fact.txt');
    stubDialogs();
    const hold = server.hold('explain');
    try {
      const running = vscode.commands.executeCommand('promptLens.explain');
      await hold.waitForHeld(1);
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'Quick: '));
      hold.release();
      await running;
    } finally {
      hold.stop();
    }
    assert.deepEqual(errors, []);
    const shown = snapshot();
    assert.ok(shown);
    const original = 'Tell me one surprising fact about the otter.\nOtters are playful animals.\n';
    assert.deepEqual(
      shown.spans.map((s) => s.text),
      words(original),
    );
    assert.equal(shown.spans[0]!.start, 'Quick: '.length);
    assert.equal(shown.stale, true, 'the prompt changed while it was being explained');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('asks before running more scoring calls than the threshold, and runs nothing when declined', async () => {
    await vscode.workspace
      .getConfiguration('promptLens')
      .update('explain.costThreshold', 0, vscode.ConfigurationTarget.Global);
    try {
      await open('otter.prompt');
      const asked: { message: string; modal: boolean | undefined }[] = [];
      let answer: string | undefined;
      stubDialogs({
        showWarningMessage: async (message: string, options: vscode.MessageOptions) => {
          asked.push({ message, modal: options?.modal });
          return answer;
        },
      });
      const requestsBefore = explainRequests().length;
      answer = undefined;
      await vscode.commands.executeCommand('promptLens.explain');
      assert.deepEqual(asked, [{ message: 'Run 1 scoring call?', modal: true }]);
      assert.equal(explainRequests().length, requestsBefore, 'declined: nothing is sent');
      assert.equal(snapshot(), undefined);

      answer = 'Run';
      await vscode.commands.executeCommand('promptLens.explain');
      assert.equal(asked.length, 2);
      assert.equal(explainRequests().length, requestsBefore + 1);
      assert.ok(snapshot());
      assert.deepEqual(errors, []);
    } finally {
      await vscode.workspace
        .getConfiguration('promptLens')
        .update('explain.costThreshold', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Cancel on the progress notification stops the run quietly and shows nothing', async () => {
    await open('otter.prompt');
    const cancel = new vscode.CancellationTokenSource();
    const realWithProgress = vscode.window.withProgress;
    let options: vscode.ProgressOptions | undefined;
    stubDialogs({
      withProgress: (
        given: vscode.ProgressOptions,
        task: (p: vscode.Progress<unknown>, t: vscode.CancellationToken) => Thenable<unknown>,
      ) => {
        options = given;
        return realWithProgress(given, (progress) => task(progress, cancel.token));
      },
    });
    const hold = server.hold('explain');
    try {
      const running = vscode.commands.executeCommand('promptLens.explain');
      await hold.waitForHeld(1);
      assert.equal(options?.cancellable, true);
      assert.equal(options?.location, vscode.ProgressLocation.Notification);
      cancel.cancel();
      await running;
    } finally {
      hold.stop();
    }
    assert.deepEqual(errors, [], 'a cancelled run is not an error');
    // The released request must not paint anything afterwards.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(snapshot(), undefined);
  });
});
