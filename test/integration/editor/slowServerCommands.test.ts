// Every other command that talks to a server, on a silent or busy one in the real VS Code: progress
// with Cancel before the first byte (Complete Inline: a status bar spinner), Retry after 503s, and
// the panel's capability check stopped by Cancel or ended by its timeout.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PanelHistory } from '../../../src/features/panel/history';
import { PanelSession } from '../../../src/features/panel/session';
import type { Run } from '../../../src/webview/protocol';
import {
  MemoryMemento,
  captureMessages,
  openUntitled,
  stubWindow,
  waitFor,
  type ShownMessage,
} from '../helpers';
import { PROMPT, recordProgress, slowServerSuite } from './helpers/slowServer';
import { RecordingWebview } from '../panel/recordingWebview';

describe('editor: commands on a slow or silent server', function () {
  this.timeout(60_000);
  const suite = slowServerSuite();
  const { useSlowProfile, count } = suite;

  for (const [command, title] of [
    ['promptLens.explain', /preparing the explanation/],
    ['promptLens.evaluate', /evaluating with/],
    ['promptLens.showTokens', /tokenizing with/],
    ['promptLens.selectModel', /listing the models of/],
  ] as const) {
    it(`${command}: progress with Cancel while the server is silent`, async () => {
      await useSlowProfile({ 'http.connectTimeoutSeconds': 60 });
      suite.server.setFaults({ silentMs: 30_000 });
      const progress = recordProgress();
      const errors = captureMessages('error');
      const restoreInput = stubWindow('showInputBox', () => Promise.resolve(' there'));
      try {
        await openUntitled(PROMPT);
        const requestsBefore = suite.server.requests.length;
        const running = vscode.commands.executeCommand(command);
        await waitFor(
          () =>
            progress.shown.some((p) => title.test(p.title)) && suite.server.requests.length > requestsBefore,
          `the progress of ${command} while the server is silent`,
        );
        const shown = progress.shown.find((p) => title.test(p.title));
        assert.ok(shown?.cancellable, 'the progress has a Cancel button');
        shown.cancel.cancel();
        await running;
        assert.deepEqual(errors.shown, [], 'a Cancel is no error');
      } finally {
        restoreInput();
        progress.restore();
        errors.restore();
      }
    });
  }

  it('Complete Inline: a spinner in the status bar while the server is silent', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 2 });
    suite.server.setFaults({ silentMs: 30_000 });
    const progress = recordProgress();
    const errors = captureMessages('error');
    try {
      await openUntitled(PROMPT);
      const probesBefore = count('/props');
      await vscode.commands.executeCommand('promptLens.completeInline');
      await waitFor(
        () => progress.shown.some((p) => /waiting for the inline completion/.test(p.title)),
        'the status bar progress',
      );
      const shown = progress.shown.find((p) => /waiting for the inline completion/.test(p.title));
      assert.equal(shown?.location, vscode.ProgressLocation.Window);
      assert.ok(count('/props') > probesBefore, 'shown while the probe is unanswered');
      await waitFor(() => shown?.ended === true, 'the spinner to stop with the failure');
      await waitFor(
        () => errors.shown.length > 0,
        `the error (${JSON.stringify(suite.server.requests.slice(-8).map((r) => r.path))})`,
      );
      assert.match(errors.shown[0]?.message ?? '', /connectTimeoutSeconds/);
      assert.equal(errors.shown[0]?.items[0], 'Retry');
    } finally {
      progress.restore();
      errors.restore();
    }
  });

  it('Complete Inline: Retry after a 503 asks the server again (VS Code keeps the failed, empty answer)', async () => {
    await useSlowProfile({});
    // Retry-After beyond what the client waits on its own: the 503 is the inline request's failure.
    suite.server.setFaults({ statuses: [{ status: 503, retryAfter: 120 }], paths: ['/completion'] });
    let atAnswer = 0;
    const errors = captureMessages('error', (message) => {
      if (atAnswer > 0 || !message.items.includes('Retry')) return undefined;
      atAnswer = count('/completion');
      return 'Retry';
    });
    try {
      await openUntitled(PROMPT);
      const before = count('/completion');
      await vscode.commands.executeCommand('promptLens.completeInline');
      await waitFor(() => atAnswer > 0, 'the inline error with Retry');
      assert.equal(atAnswer - before, 1, 'the 503 was not retried on its own');
      await waitFor(() => count('/completion') > atAnswer, 'the retried inline request');
      assert.equal(errors.shown.length, 1, 'the retried request succeeded');
    } finally {
      errors.restore();
    }
  });

  describe('Complete Inline where an automatic request is already under way at the cursor', () => {
    const automatic: vscode.InlineCompletionContext = {
      triggerKind: vscode.InlineCompletionTriggerKind.Automatic,
      selectedCompletionInfo: undefined,
    };

    /** Starts an automatic request, then Complete Inline once the server holds `path`; the errors shown. */
    async function joinAutomatic(path: string): Promise<ShownMessage[]> {
      const progress = recordProgress();
      const errors = captureMessages('error');
      try {
        const editor = await openUntitled(PROMPT);
        const before = count(path);
        const pending = suite.ctx
          .features()
          .provideInlineCompletions(
            suite.ctx,
            editor.document,
            editor.selection.active,
            automatic,
            new vscode.CancellationTokenSource().token,
          );
        await waitFor(() => count(path) > before, `the automatic request's ${path}`);
        await vscode.commands.executeCommand('promptLens.completeInline');
        assert.equal(await pending, undefined);
        await waitFor(() => errors.shown.length > 0, 'the failure, shown to the user who asked');
        assert.ok(
          progress.shown.some((p) => /waiting for the inline completion/.test(p.title)),
          'the spinner showed the wait',
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        return errors.shown;
      } finally {
        progress.restore();
        errors.restore();
      }
    }

    it('shows the failure of its start (the capability check timed out), once', async () => {
      await useSlowProfile({ 'http.connectTimeoutSeconds': 2, 'inline.debounceMs': 0 });
      suite.server.setFaults({ silentMs: 30_000 });
      const shown = await joinAutomatic('/props');
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]?.message ?? '', /connectTimeoutSeconds/);
      assert.equal(shown[0]?.items[0], 'Retry');
    });

    it('shows the failure of its stream (no first byte), once', async () => {
      await useSlowProfile({ 'http.connectTimeoutSeconds': 2, 'inline.debounceMs': 0 });
      suite.server.setFaults({ silentMs: 30_000, paths: ['/completion'] });
      const shown = await joinAutomatic('/completion');
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]?.message ?? '', /connectTimeoutSeconds/);
      assert.equal(shown[0]?.items[0], 'Retry');
    });
  });

  it('503 until the automatic retries are used up: Retry runs the command again', async () => {
    await useSlowProfile({});
    // More 503s than one request's automatic retries (the token count may ask too).
    suite.server.setFaults({ statuses: Array<number>(12).fill(503), paths: ['/tokenize'] });
    let answered: ShownMessage | undefined;
    const errors = captureMessages('error', (message) => {
      if (answered || !message.items.includes('Retry')) return undefined;
      answered = message;
      atAnswer = count('/tokenize');
      suite.server.setFaults({});
      return 'Retry';
    });
    let atAnswer = 0;
    try {
      await openUntitled(PROMPT);
      const tokenizeBefore = count('/tokenize');
      await vscode.commands.executeCommand('promptLens.showTokens');
      assert.ok(answered, JSON.stringify(errors.shown));
      assert.match(answered.message, /busy/i);
      assert.equal(answered.items[0], 'Retry');
      assert.ok(atAnswer - tokenizeBefore >= 4, 'the automatic tries came first');
      assert.ok(count('/tokenize') > atAnswer, 'Retry asked again');
      assert.equal(errors.shown.length, 1, 'Show Tokens after Retry succeeded');
      assert.equal(suite.server.stats().faultsServed > 0, true);
    } finally {
      errors.restore();
      await vscode.commands.executeCommand('promptLens.hideTokens');
    }
  });

  it('the panel: Cancel stops the capability check, and its timeout ends the run (no completion sent)', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 60, 'http.timeoutSeconds': 3 });
    suite.server.setFaults({ silentMs: 30_000 });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'panel', 'llama.prompt'),
    );
    await vscode.window.showTextDocument(document);
    const webview = new RecordingWebview();
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const session = new PanelSession(suite.ctx, webview.webview, {
      log: quiet,
      history: new PanelHistory(new MemoryMemento()),
      document,
    });
    const finished = (): Run[] => webview.of('run/finished').map((m) => m.run);
    const completionsBefore = count('/completion');

    const probesBefore = count('/props');
    const cancelled = session.receive({ type: 'run/start', action: 'complete', vars: {} });
    await waitFor(() => count('/props') > probesBefore, 'the silent probe');
    await session.receive({ type: 'run/cancel' });
    await waitFor(() => finished().length === 1, 'the cancelled run', 5000);
    await cancelled;
    assert.equal(finished()[0]?.error?.kind, 'cancelled', JSON.stringify(finished()[0]?.error));

    await useSlowProfile({ 'http.connectTimeoutSeconds': 1, 'http.timeoutSeconds': 3 });
    await session.receive({ type: 'run/start', action: 'complete', vars: {} });
    await waitFor(() => finished().length === 2, 'the run ended by the connect timeout');
    const failed = finished()[1];
    assert.equal(failed?.error?.kind, 'timeout', JSON.stringify(failed?.error));
    assert.match(failed?.error?.message ?? '', /connectTimeoutSeconds/);
    assert.equal(
      count('/completion'),
      completionsBefore,
      'no completion sent to a server that did not answer',
    );
  });
});
