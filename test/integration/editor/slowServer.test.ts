// A slow or silent server in the real VS Code: progress with Cancel before the server's first byte,
// a connect timeout that names its setting and offers Retry, a Retry that really asks again, and a
// stream that dies midway saying what it kept (Undo removes it; Retry replaces it, never twice).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import type { Ctx } from '../../../src/ctx';
import { PanelHistory } from '../../../src/features/panel/history';
import { PanelSession } from '../../../src/features/panel/session';
import type { HostToWebview, Run } from '../../../src/webview/protocol';
import {
  MemoryMemento,
  captureMessages,
  captureStatusMessages,
  closeAllEditors,
  extensionCtx,
  openUntitled,
  stubWindow,
  useProfile,
  waitFor,
  type ShownMessage,
} from '../helpers';

const PROMPT = 'Once upon a time the cat';

/** A measured figure, printed with the suite's output (the runner shows only marked lines). */
function figure(text: string): void {
  console.log(`[prompt-lens-test] [slow-server] ${text}`);
}

interface ShownProgress {
  title: string;
  location: vscode.ProgressOptions['location'];
  /** The task's promise settled. */
  ended: boolean;
  cancellable: boolean;
  at: number;
  cancel: vscode.CancellationTokenSource;
}

/** Records each progress VS Code is asked to show; its Cancel is pressed through `cancel`. */
function recordProgress(): { shown: ShownProgress[]; restore: () => void } {
  const shown: ShownProgress[] = [];
  const restore = stubWindow('withProgress', ((
    options: vscode.ProgressOptions,
    task: (progress: vscode.Progress<unknown>, token: vscode.CancellationToken) => unknown,
  ) => {
    const cancel = new vscode.CancellationTokenSource();
    const entry: ShownProgress = {
      title: options.title ?? '',
      location: options.location,
      ended: false,
      cancellable: options.cancellable === true,
      at: Date.now(),
      cancel,
    };
    shown.push(entry);
    const result = Promise.resolve(task({ report: () => undefined }, cancel.token));
    void result.finally(() => (entry.ended = true)).catch(() => undefined);
    return result;
  }) as never);
  return { shown, restore };
}

describe('editor: a slow or silent server', function () {
  this.timeout(60_000);
  let ctx: Ctx;
  let server: LlamaCppServerHandle;
  let restoreProfile: (() => Promise<void>) | undefined;
  let profileIndex = 0;
  let fullCompletion = '';

  /** A profile of its own per test: the capability check is asked afresh. */
  async function useSlowProfile(settings: Record<string, unknown>): Promise<void> {
    await restoreProfile?.();
    restoreProfile = await useProfile(
      { name: `llama (slow ${++profileIndex})`, kind: 'llama-cpp', url: server.url },
      { 'completion.maxTokens': 8, 'completion.temperature': 0, ...settings },
    );
  }

  const count = (path: string): number => server.requests.filter((r) => r.path === path).length;

  before(async () => {
    ctx = await extensionCtx();
    server = await startLlamaCppServer();
    // What Complete inserts when nothing goes wrong: the measure for "no text twice, none lost".
    await useSlowProfile({});
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    fullCompletion = editor.document.getText().slice(PROMPT.length);
    assert.ok(fullCompletion.length > 0);
    await closeAllEditors();
  });
  afterEach(async () => {
    server.setFaults({});
    await closeAllEditors();
  });
  after(async () => {
    await restoreProfile?.();
    await server.close();
  });

  it('progress with Cancel shows while the server is silent, and Cancel ends the wait', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 60 });
    server.setFaults({ silentMs: 30_000 });
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

  for (const [command, title] of [
    ['promptLens.explain', /preparing the explanation/],
    ['promptLens.evaluate', /evaluating with/],
    ['promptLens.showTokens', /tokenizing with/],
    ['promptLens.selectModel', /listing the models of/],
  ] as const) {
    it(`${command}: progress with Cancel while the server is silent`, async () => {
      await useSlowProfile({ 'http.connectTimeoutSeconds': 60 });
      server.setFaults({ silentMs: 30_000 });
      const progress = recordProgress();
      const errors = captureMessages('error');
      const restoreInput = stubWindow('showInputBox', () => Promise.resolve(' there'));
      try {
        await openUntitled(PROMPT);
        const requestsBefore = server.requests.length;
        const running = vscode.commands.executeCommand(command);
        await waitFor(
          () => progress.shown.some((p) => title.test(p.title)) && server.requests.length > requestsBefore,
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
    server.setFaults({ silentMs: 30_000 });
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
        `the error (${JSON.stringify(server.requests.slice(-8).map((r) => r.path))})`,
      );
      assert.match(errors.shown[0]?.message ?? '', /connectTimeoutSeconds/);
      assert.equal(errors.shown[0]?.items[0], 'Retry');
    } finally {
      progress.restore();
      errors.restore();
    }
  });

  it('503 until the automatic retries are used up: Retry runs the command again', async () => {
    await useSlowProfile({});
    // More 503s than one request's automatic retries (the token count may ask too).
    server.setFaults({ statuses: Array<number>(12).fill(503), paths: ['/tokenize'] });
    let answered: ShownMessage | undefined;
    const errors = captureMessages('error', (message) => {
      if (answered || !message.items.includes('Retry')) return undefined;
      answered = message;
      atAnswer = count('/tokenize');
      server.setFaults({});
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
      assert.equal(server.stats().faultsServed > 0, true);
    } finally {
      errors.restore();
      await vscode.commands.executeCommand('promptLens.hideTokens');
    }
  });

  it('the panel: Cancel stops the capability check, and its timeout ends the run (no completion sent)', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 60, 'http.timeoutSeconds': 3 });
    server.setFaults({ silentMs: 30_000 });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'panel', 'llama.prompt'),
    );
    await vscode.window.showTextDocument(document);
    const posted: HostToWebview[] = [];
    const webview = {
      cspSource: 'vscode-webview://fake',
      options: {},
      html: '',
      postMessage: (message: HostToWebview) => (posted.push(message), Promise.resolve(true)),
      onDidReceiveMessage: () => ({ dispose() {} }),
      asWebviewUri: (uri: vscode.Uri) => uri,
    };
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const session = new PanelSession(ctx, webview as unknown as vscode.Webview, {
      log: quiet,
      history: new PanelHistory(new MemoryMemento()),
      document,
    });
    const finished = (): Run[] => posted.flatMap((m) => (m.type === 'run/finished' ? [m.run] : []));
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

  it('a silent server: the connect timeout names its setting and offers Retry, which asks again', async () => {
    await useSlowProfile({ 'http.connectTimeoutSeconds': 1 });
    server.setFaults({ silentMs: 30_000 });
    const progress = recordProgress();
    let answered: ShownMessage | undefined;
    let errorAt = 0;
    const errors = captureMessages('error', (message) => {
      if (answered || !message.items.includes('Retry')) return undefined;
      answered = message;
      errorAt = Date.now();
      server.setFaults({}); // the server has recovered by the time the user clicks Retry
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
    await useSlowProfile({ 'http.timeoutSeconds': 1 });
    const kept = (editor: vscode.TextEditor): string => editor.document.getText().slice(PROMPT.length);

    // 1. Dismissed: the partial text stays, the message says exactly how much, and one Undo removes it.
    server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
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
      /stopped sending for 1 s in the middle of its reply \(the generation timeout: promptLens\.http\.timeoutSeconds/,
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
    server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
    let retried = false;
    const retrying = captureMessages('error', (message) => {
      if (retried || !message.items.includes('Retry')) return undefined;
      retried = true;
      server.setFaults({});
      return 'Retry';
    });
    try {
      editor = await openUntitled(PROMPT);
      const completionsBefore = count('/completion');
      await vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => retried && kept(editor) === fullCompletion, 'the retried completion');
      assert.equal(count('/completion') - completionsBefore, 2, 'Retry sent the completion again');
      const sent = server.requests.filter((r) => r.path === '/completion').slice(-2);
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
    server.setFaults({ stallStream: { afterEvents: 3, ms: 30_000 }, paths: ['/completion'] });
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
      server.setFaults({});
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
