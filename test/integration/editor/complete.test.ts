import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import {
  captureMessages,
  captureStatusMessages,
  closeAllEditors,
  extensionCtx,
  openUntitled,
  openWorkspaceFile,
  stubWindow,
  useProfile,
  waitFor,
} from '../helpers';
import { completionOf } from './helpers/expected';
import { startSlowProxy, type SlowProxy } from './helpers/slowProxy';

const MAX_TOKENS = 20;

/** Inserts text the way typing does: a keystroke is never refused, so retry if the stream's own edit got in first. */
async function insertLikeTyping(
  document: vscode.TextDocument,
  where: () => vscode.Position,
  text: string,
): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, where(), text);
    if (await vscode.workspace.applyEdit(edit)) return;
  }
  throw new Error('the edit was refused 50 times');
}
const PROMPT = 'Once upon a time the cat';

describe('editor: Complete', () => {
  let server: LlamaCppServerHandle;
  let slow: SlowProxy;
  let restore: () => Promise<void>;
  let expected: string;

  before(async () => {
    await extensionCtx();
    server = await startLlamaCppServer();
    slow = await startSlowProxy(server.url, 120); // slow enough that a loaded machine still types mid-stream
    restore = await useProfile(
      { name: 'llama (test)', kind: 'llama-cpp', url: server.url },
      { 'completion.maxTokens': MAX_TOKENS, 'completion.temperature': 0 },
    );
    expected = (await completionOf(server.url, PROMPT, MAX_TOKENS)).text;
    assert.ok(expected.length > 10, 'the test model completes the prompt with some text');
  });

  after(async () => {
    await closeAllEditors();
    await restore();
    await slow.close();
    await server.close();
  });

  afterEach(async () => {
    server.setFaults({});
    await closeAllEditors();
  });

  const useSlowServer = (): Promise<() => Promise<void>> =>
    useProfile(
      { name: 'llama (slow)', kind: 'llama-cpp', url: slow.url },
      { 'completion.maxTokens': MAX_TOKENS },
    );

  it("inserts the model's completion at the end of the document, and one undo removes it", async () => {
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    assert.equal(editor.document.getText(), PROMPT + expected);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), PROMPT);
  });

  it('completes the selection and inserts right after it', async () => {
    const tail = '\n\nUnrelated notes that stay below.';
    const editor = await openUntitled(PROMPT + tail);
    editor.selection = new vscode.Selection(
      editor.document.positionAt(0),
      editor.document.positionAt(PROMPT.length),
    );
    await vscode.commands.executeCommand('promptLens.complete');
    assert.equal(editor.document.getText(), PROMPT + expected + tail);
  });

  it('completes a .prompt file from its rendering, with its params, in the panel beside it: the template stays as it is', async () => {
    const editor = await openWorkspaceFile('complete/story.prompt');
    const before = editor.document.getText();
    const fromTemplate = await completionOf(server.url, 'Once upon a time the cat\n', 12);
    server.requests.length = 0;
    await vscode.commands.executeCommand('promptLens.complete');
    assert.equal(editor.document.getText(), before, 'nothing is appended to the template');
    const body = server.requests.find((r) => r.path === '/completion')?.body as Record<string, unknown>;
    assert.equal(body['n_predict'], 12, 'the front matter params override the settings');
    assert.equal(body['prompt'], 'Once upon a time the cat\n');
    const ctx = await extensionCtx();
    const host = ctx.service<{
      panel?: vscode.WebviewPanel;
      panelSession?: { history: { list(): { completion?: { text: string }; fileName: string }[] } };
    }>({
      name: 'panel',
      create: () => {
        throw new Error('the panel was not opened');
      },
    });
    assert.ok(host.panel?.visible, 'the panel is open');
    const run = host.panelSession?.history.list()[0];
    assert.equal(run?.fileName, 'story.prompt');
    assert.equal(run?.completion?.text, fromTemplate.text, 'the panel shows the completion');
  });

  it('keeps the completion in place when text is inserted before it while it streams', async () => {
    const restoreSlow = await useSlowServer();
    try {
      const editor = await openUntitled(PROMPT);
      const running = vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => editor.document.getText().length > PROMPT.length, 'the first streamed text');
      assert.ok(
        editor.document.getText().length < PROMPT.length + expected.length,
        'the edit happens mid-stream',
      );
      const heading = 'A heading typed meanwhile\n';
      await insertLikeTyping(editor.document, () => new vscode.Position(0, 0), heading);
      await running;
      assert.equal(editor.document.getText(), heading + PROMPT + expected);
    } finally {
      await restoreSlow();
    }
  });

  it('stops inserting when the user types where the completion goes, keeping the rest', async () => {
    const restoreSlow = await useSlowServer();
    const warnings = captureMessages('warning');
    try {
      const editor = await openUntitled(PROMPT);
      const running = vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => editor.document.getText().length > PROMPT.length, 'the first streamed text');
      const typed = ' [typed]';
      await insertLikeTyping(
        editor.document,
        () => editor.document.positionAt(editor.document.getText().length),
        typed,
      );
      await running;
      const text = editor.document.getText();
      assert.ok(
        text.startsWith(PROMPT) && text.endsWith(typed),
        `the user's text stays last: ${JSON.stringify(text)}`,
      );
      const inserted = text.slice(PROMPT.length, text.length - typed.length);
      assert.ok(
        expected.startsWith(inserted) && inserted.length < expected.length,
        `a prefix of the completion was inserted, in place: ${JSON.stringify(inserted)} of ${JSON.stringify(expected)}`,
      );
      const warning = warnings.shown[0];
      assert.ok(warning, 'the user is told');
      assert.match(warning.message, new RegExp(`rest \\(${expected.length - inserted.length} characters\\)`));
      assert.ok(warning.items.includes('Copy the Rest'));
    } finally {
      warnings.restore();
      await restoreSlow();
    }
  });

  it('cancelling keeps what was inserted so far and stops the request', async () => {
    const restoreSlow = await useSlowServer();
    const cancel = new vscode.CancellationTokenSource();
    const restoreProgress = stubWindow('withProgress', ((
      _options: unknown,
      task: (progress: vscode.Progress<unknown>, token: vscode.CancellationToken) => unknown,
    ) => task({ report: () => undefined }, cancel.token)) as never);
    const errors = captureMessages('error');
    const status = captureStatusMessages();
    try {
      const abandonedBefore = slow.abandoned;
      const editor = await openUntitled(PROMPT);
      const running = vscode.commands.executeCommand('promptLens.complete');
      await waitFor(() => editor.document.getText().length > PROMPT.length, 'the first streamed text');
      cancel.cancel();
      await running;
      const inserted = editor.document.getText().slice(PROMPT.length);
      assert.ok(
        inserted.length > 0 && inserted.length < expected.length && expected.startsWith(inserted),
        `kept a prefix: ${JSON.stringify(inserted)}`,
      );
      assert.ok(
        status.shown.includes(
          `Prompt Lens: completion cancelled. Kept the ${inserted.length} characters received before the Cancel; Undo removes them.`,
        ),
        status.shown.join('\n'),
      );
      await waitFor(() => slow.abandoned > abandonedBefore, 'the HTTP request to be aborted');
      assert.equal(errors.shown.length, 0, 'a cancellation is not an error');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        editor.document.positionAt(PROMPT.length + 1),
      );
      assert.ok(hovers.length > 0, 'the kept text is marked as generated (it has token hovers)');
      await vscode.commands.executeCommand('undo');
      assert.equal(editor.document.getText(), PROMPT, 'one Undo removes the kept text, as the message says');
    } finally {
      status.restore();
      restoreProgress();
      errors.restore();
      cancel.dispose();
      await restoreSlow();
    }
  });

  it('retries a 503 and then inserts the completion', async () => {
    server.setFaults({ statuses: [503], paths: ['/completion'] });
    const before = server.stats().faultsServed;
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    assert.equal(server.stats().faultsServed, before + 1, 'the server answered 503 once');
    assert.equal(editor.document.getText(), PROMPT + expected);
  });

  it('a 401 is reported once, with the "Set API Key" action, and leaves the document alone', async () => {
    const locked = await startLlamaCppServer({ apiKey: 'the-right-key' });
    const restoreLocked = await useProfile({ name: 'llama (locked)', kind: 'llama-cpp', url: locked.url });
    const errors = captureMessages('error');
    try {
      const editor = await openUntitled(PROMPT);
      await vscode.commands.executeCommand('promptLens.complete');
      assert.equal(errors.shown.length, 1);
      const [error] = errors.shown;
      assert.match(error?.message ?? '', /API (token|key)/i);
      assert.ok(error?.items.includes('Set API Key'), `actions: ${error?.items.join(', ')}`);
      assert.equal(editor.document.getText(), PROMPT);
    } finally {
      errors.restore();
      await restoreLocked();
      await locked.close();
    }
  });
});
