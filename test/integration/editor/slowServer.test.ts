// Complete on a slow or silent server in the real VS Code: progress with Cancel before the server's
// first byte, a connect timeout that names its setting and offers Retry, a Retry that really asks
// again, and a stream that dies midway saying what it kept (Undo removes it; Retry replaces it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  captureMessages,
  captureStatusMessages,
  closeAllEditors,
  openUntitled,
  stubWindow,
  waitFor,
  type ShownMessage,
} from '../helpers';
import { PROMPT, figure, recordProgress, slowServerSuite } from './helpers/slowServer';

describe('editor: Complete on a slow or silent server', function () {
  this.timeout(60_000);
  const suite = slowServerSuite();
  const { useSlowProfile, count } = suite;
  let fullCompletion = '';

  before(async () => {
    // What Complete inserts when nothing goes wrong: the measure for "no text twice, none lost".
    await useSlowProfile({});
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    fullCompletion = editor.document.getText().slice(PROMPT.length);
    assert.ok(fullCompletion.length > 0);
    await closeAllEditors();
  });

  it('progress with Cancel shows while the server is silent, and Cancel ends the wait', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 60 });
    suite.server.setFaults({ silentMs: 30_000 });
    const progress = recordProgress();
    const errors = captureMessages('error');
    try {
      const editor = await openUntitled(PROMPT);
      const probesBefore = count('/props');
      const completionsBefore = count('/completion');
      const started = Date.now();
      const running = vscode.commands.executeCommand('promptLens.complete');
      await waitFor(
        () => progress.shown.length > 0 && count('/props') > probesBefore,
        'progress and the probe',
      );
      const [shown] = progress.shown;
      assert.ok(shown);
      assert.match(shown.title, /completing with llama \(slow/);
      assert.ok(shown.cancellable, 'the progress has a Cancel button');
      figure(` progress shown ${shown.at - started} ms after the command (server silent)`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(count('/completion'), completionsBefore, 'still waiting for the silent probe');
      const cancelledAt = Date.now();
      shown.cancel.cancel();
      await running;
      figure(` Cancel ended the command in ${Date.now() - cancelledAt} ms`);
      assert.equal(editor.document.getText(), PROMPT, 'the text is untouched');
      assert.deepEqual(errors.shown, [], 'a Cancel is no error');
    } finally {
      progress.restore();
      errors.restore();
    }
  });

  it('a silent server: the connect timeout names its setting and offers Retry, which asks again', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 1 });
    suite.server.setFaults({ silentMs: 30_000 });
    const progress = recordProgress();
    let answered: ShownMessage | undefined;
    let errorAt = 0;
    const errors = captureMessages('error', (message) => {
      if (answered || !message.items.includes('Retry')) return undefined;
      answered = message;
      errorAt = Date.now();
      suite.server.setFaults({}); // the server has recovered by the time the user clicks Retry
      return 'Retry';
    });
    try {
      const editor = await openUntitled(PROMPT);
      const probesBefore = count('/props');
      const completionsBefore = count('/completion');
      const started = Date.now();
      await vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => editor.document.getText() === PROMPT + fullCompletion, 'the retried completion');
      figure(` connect-timeout error ${errorAt - started} ms after the command`);
      assert.ok(answered, 'an error offering Retry');
      assert.match(
        answered.message,
        /accepted the connection but sent nothing within 1 s \(the connect timeout: promptLens\.http\.connectTimeoutSeconds, CLI --connect-timeout\)/,
      );
      assert.equal(answered.items[0], 'Retry');
      // The probe again (the token count may ask it too), then the one completion.
      assert.ok(count('/props') - probesBefore >= 2, 'the probe was sent again by Retry');
      assert.equal(count('/completion') - completionsBefore, 1, 'one completion, after the Retry');
      assert.ok(progress.shown.length >= 2, 'the retry runs under its own progress');
      assert.equal(errors.shown.length, 1, 'the retry succeeded');
    } finally {
      progress.restore();
      errors.restore();
    }
  });

  it('a stream that stalls midway: the message says what was kept, Undo removes it, Retry replaces it', async () => {
    // 3 s, not 1: the retried, healthy stream must not trip the generation timeout on a busy machine.
    await useSlowProfile({ 'http.timeoutSeconds': 3 });
    const kept = (editor: vscode.TextEditor): string => editor.document.getText().slice(PROMPT.length);

    // 1. Dismissed: the partial text stays, the message says exactly how much, and one Undo removes it.
    suite.server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
    const dismissed = captureMessages('error');
    let editor: vscode.TextEditor;
    try {
      editor = await openUntitled(PROMPT);
      await vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => dismissed.shown.length > 0, 'the error');
    } finally {
      dismissed.restore();
    }
    const partial = kept(editor);
    assert.ok(
      partial.length > 0 && fullCompletion.startsWith(partial) && partial !== fullCompletion,
      partial,
    );
    const [stalled] = dismissed.shown;
    assert.ok(stalled);
    assert.match(
      stalled.message,
      /stopped sending for 3 s in the middle of its reply \(the generation timeout: promptLens\.http\.timeoutSeconds/,
    );
    assert.ok(
      stalled.message.includes(
        `Kept the ${partial.length} characters received before the server stopped; Undo removes them. Retry replaces them.`,
      ),
      stalled.message,
    );
    assert.equal(stalled.items[0], 'Retry');
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), PROMPT, 'one Undo removes the kept text');
    await closeAllEditors();

    // 2. Retry: the same prompt again; the kept text is replaced, not continued or doubled.
    suite.server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
    let retried = false;
    const retrying = captureMessages('error', (message) => {
      if (retried || !message.items.includes('Retry')) return undefined;
      retried = true;
      suite.server.setFaults({});
      return 'Retry';
    });
    try {
      editor = await openUntitled(PROMPT);
      const completionsBefore = count('/completion');
      await vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => retried && kept(editor) === fullCompletion, 'the retried completion');
      assert.equal(count('/completion') - completionsBefore, 2, 'Retry sent the completion again');
      const sent = suite.server.requests.filter((r) => r.path === '/completion').slice(-2);
      assert.deepEqual(
        sent.map((r) => (r.body as { prompt?: unknown }).prompt),
        [PROMPT, PROMPT],
        'the same prompt, not the prompt plus the kept text',
      );
    } finally {
      retrying.restore();
    }
  });

  it('Retry leaves kept text the user edited since, and says so', async () => {
    await useSlowProfile({ 'http.timeoutSeconds': 1 });
    suite.server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
    let pending: ((choice: string | undefined) => void) | undefined;
    const restoreError = stubWindow(
      'showErrorMessage',
      (() => new Promise<string | undefined>((resolve) => (pending = resolve))) as never,
    );
    const status = captureStatusMessages();
    try {
      const editor = await openUntitled(PROMPT);
      const running = vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => pending !== undefined, 'the error');
      // The user works on the kept text while the error is shown, then clicks Retry.
      await editor.edit((edit) => edit.insert(editor.document.positionAt(PROMPT.length + 1), 'EDIT'));
      const edited = editor.document.getText();
      const completionsBefore = count('/completion');
      suite.server.setFaults({});
      pending?.('Retry');
      await running;
      assert.equal(editor.document.getText(), edited, 'nothing removed, nothing added');
      assert.equal(count('/completion'), completionsBefore, 'no request sent over edited text');
      assert.ok(
        status.shown.some((text) => /the kept text was edited, so Retry leaves it/.test(text)),
        status.shown.join('\n'),
      );
    } finally {
      restoreError();
      status.restore();
    }
  });
});
