// A `.prompt` file's `backend:` picks the server: the status bar names it, its errors offer
// "Go to line" (the `backend:` key) and "Run with the active profile" (this once, the file unedited).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { captureMessages, closeAllEditors, extensionCtx, openUntitled, useSetting } from '../helpers';
import { useProfiles, waitFor } from './helpers';

const ACTIVE = 'file profile test: active';
const PICKED = 'picked by the file';
// Nothing listens on port 9 of loopback: a connection error.
const DEAD = 'nowhere';

/** The actions of a Complete Inline error whose profile the file chose. */
const INLINE_ERROR_ACTIONS = ['Retry', 'Go to line', 'Run with the active profile', 'Show Log'];

const fileNaming = (backend: string) =>
  `---\n# The server of this file:\nbackend: ${backend}\nparams:\n  n_predict: 4\n---\nThe capital of France is`;

describe('editor: the profile a file picks', () => {
  let active: LlamaCppServerHandle;
  let picked: LlamaCppServerHandle;
  let restore: () => Promise<void>;
  let restoreTemperature: () => Promise<void>;
  let ctx: Ctx;
  const completions = (server: LlamaCppServerHandle) =>
    server.requests.filter((r) => r.path === '/completion').length;

  before(async function () {
    // In an untrusted workspace a file cannot pick the profile (see trust.test.ts).
    if (!vscode.workspace.isTrusted) this.skip();
    ctx = await extensionCtx();
    active = await startLlamaCppServer();
    picked = await startLlamaCppServer();
    restore = await useProfiles(
      [
        { name: ACTIVE, kind: 'llama-cpp', url: active.url },
        { name: PICKED, kind: 'llama-cpp', url: picked.url },
        { name: DEAD, kind: 'llama-cpp', url: 'http://127.0.0.1:9' },
      ],
      ACTIVE,
    );
    restoreTemperature = await useSetting('completion.temperature', 0);
  });

  after(async () => {
    await closeAllEditors();
    await restoreTemperature?.();
    await restore?.();
    await active?.close();
    await picked?.close();
  });

  it('the status bar names the server of the active document, on editor switch and on edits', async () => {
    const editor = await openUntitled(fileNaming(PICKED), 'liquid-prompt');
    await waitFor("the file's profile", () => ctx.statusBar.state.profile === `${PICKED} (set by the file)`);
    assert.match(ctx.statusBar.state.text, new RegExp(`^\\$\\(telescope\\) ${PICKED} \\(set by the file\\)`));
    assert.match(ctx.statusBar.state.serverDetail, /its `backend:` picks the profile/);

    await openUntitled('---\nparams:\n  n_predict: 4\n---\nNo backend here', 'liquid-prompt');
    await waitFor('the active profile', () => ctx.statusBar.state.profile === ACTIVE);

    const again = await vscode.window.showTextDocument(editor.document);
    await waitFor(
      "the file's profile again",
      () => ctx.statusBar.state.profile === `${PICKED} (set by the file)`,
    );

    // An edit of the front matter: the name no longer matches a profile.
    const line = again.document.lineAt(2);
    await again.edit((edit) => edit.replace(line.range, 'backend: no such profile'));
    await waitFor(
      'the unknown profile',
      () => ctx.statusBar.state.profile === 'no such profile (set by the file, not configured)',
    );
    assert.match(ctx.statusBar.state.text, /^\$\(warning\) /);
    // ... and the Problems view says so on the `backend:` line.
    const diagnostic = await waitFor('the diagnostic', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.code === 'unknown-profile'),
    );
    assert.equal(diagnostic.range.start.line, 2);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, /No profile named "no such profile" is configured/);
  });

  it('a request goes to the profile the file picks, not the active one', async () => {
    await openUntitled(fileNaming(PICKED), 'liquid-prompt');
    const before = { active: completions(active), picked: completions(picked) };
    await vscode.commands.executeCommand('promptLens.complete');
    assert.ok(completions(picked) > before.picked, "the file's profile got the request");
    assert.equal(completions(active), before.active);
  });

  it('"Run with the active profile" re-runs the command on the active server, leaving the file as it is', async () => {
    const editor = await openUntitled(fileNaming(DEAD), 'liquid-prompt');
    const before = completions(active);
    const errors = captureMessages('error', () => 'Run with the active profile');
    try {
      await vscode.commands.executeCommand('promptLens.complete');
    } finally {
      errors.restore();
    }
    assert.equal(errors.shown.length, 1, errors.shown.map((m) => m.message).join('\n'));
    // A server that cannot be reached may answer another time: Retry comes first.
    assert.deepEqual(errors.shown[0]?.items, [
      'Retry',
      'Go to line',
      'Run with the active profile',
      'Show Log',
    ]);
    const afterRerun = completions(active);
    assert.ok(afterRerun > before, 'the re-run went to the active profile');
    assert.equal(editor.document.lineAt(2).text, `backend: ${DEAD}`);
    // Once: the next run follows the file again.
    await waitFor(
      'the status bar back on the file',
      () => ctx.statusBar.state.profile === `${DEAD} (set by the file)`,
    );
    const again = captureMessages('error');
    try {
      await vscode.commands.executeCommand('promptLens.complete');
    } finally {
      again.restore();
    }
    assert.equal(again.shown.length, 1, 'the file picks the dead server again');
    assert.equal(completions(active), afterRerun);
  });

  it('"Go to line" reveals the backend: key of the file the request came from', async () => {
    const source = `---\n# one\n# two\nmodel: m\nbackend: ${DEAD}\n---\nbackend: in the body\nThe capital is`;
    const editor = await openUntitled(source, 'liquid-prompt');
    const errors = captureMessages('error', () => 'Go to line');
    try {
      await vscode.commands.executeCommand('promptLens.complete');
    } finally {
      errors.restore();
    }
    // A server that cannot be reached may answer another time: Retry comes first.
    assert.deepEqual(errors.shown[0]?.items, [
      'Retry',
      'Go to line',
      'Run with the active profile',
      'Show Log',
    ]);
    const shown = vscode.window.activeTextEditor;
    assert.equal(shown?.document, editor.document);
    assert.equal(shown?.selection.start.line, 4);
    assert.equal(shown?.document.getText(shown.selection), 'backend');
  });

  it('Complete Inline: its error offers the same actions, and "Run with the active profile" asks the active server', async () => {
    const editor = await openUntitled(fileNaming(DEAD), 'liquid-prompt');
    const before = completions(active);
    const errors = captureMessages('error', () => 'Run with the active profile');
    try {
      // The ghost text's failure is reported once the request fails, after the command returned.
      await vscode.commands.executeCommand('promptLens.completeInline');
      await waitFor('the inline error', () => errors.shown.length > 0);
      assert.deepEqual(errors.shown[0]?.items, INLINE_ERROR_ACTIONS);
      await waitFor('the inline request on the active server', () => completions(active) > before);
    } finally {
      errors.restore();
    }
    assert.equal(errors.shown.length, 1, errors.shown.map((m) => m.message).join('\n'));
    assert.equal(completions(active) - before, 1, 'one request on the active server');
    assert.equal(editor.document.lineAt(2).text, `backend: ${DEAD}`);
  });

  it('Complete Inline joining an automatic request of the file offers the same actions when it fails', async () => {
    const restoreTimeout = await useSetting('http.connectTimeoutSeconds', 2);
    // The stream never starts: the automatic request waits on /completion until its first-byte timeout.
    picked.setFaults({ silentMs: 30_000, paths: ['/completion'] });
    const errors = captureMessages('error');
    try {
      const editor = await openUntitled(fileNaming(PICKED), 'liquid-prompt');
      const end = editor.document.positionAt(editor.document.getText().length);
      editor.selection = new vscode.Selection(end, end);
      // A selection set from here reaches the window asynchronously: the command's trigger must see it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = completions(picked);
      const automatic = ctx
        .features()
        .provideInlineCompletions(
          ctx,
          editor.document,
          end,
          { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined },
          new vscode.CancellationTokenSource().token,
        );
      await waitFor('the automatic request on the picked server', () => completions(picked) > before);
      await vscode.commands.executeCommand('promptLens.completeInline');
      assert.equal(await automatic, undefined);
      await waitFor('the inline error', () => errors.shown.length > 0);
      assert.deepEqual(errors.shown[0]?.items, INLINE_ERROR_ACTIONS);
      assert.equal(completions(picked) - before, 1, 'the command joined the automatic request');
    } finally {
      errors.restore();
      picked.setFaults({});
      await restoreTimeout();
    }
  });

  it('a backend: naming no profile fails with the same actions and sends nothing', async () => {
    await openUntitled(fileNaming('Aleph Alpa'), 'liquid-prompt');
    const before = { active: completions(active), picked: completions(picked) };
    const errors = captureMessages('error');
    try {
      await vscode.commands.executeCommand('promptLens.complete');
    } finally {
      errors.restore();
    }
    assert.match(errors.shown[0]?.message ?? '', /names the profile "Aleph Alpa", which is not configured/);
    assert.deepEqual(errors.shown[0]?.items, ['Go to line', 'Run with the active profile', 'Show Log']);
    assert.deepEqual({ active: completions(active), picked: completions(picked) }, before);
  });

  it('an error of the active profile keeps offering Select Profile', async () => {
    const restoreActive = await useSetting('activeProfile', DEAD);
    const errors = captureMessages('error');
    try {
      await openUntitled('---\nparams:\n  n_predict: 4\n---\nNo backend here', 'liquid-prompt');
      await vscode.commands.executeCommand('promptLens.complete');
    } finally {
      errors.restore();
      await restoreActive();
    }
    assert.ok(errors.shown[0]?.items.includes('Select Profile'), JSON.stringify(errors.shown));
    assert.ok(!errors.shown[0]?.items.includes('Go to line'));
  });
});
