import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import {
  closeAllEditors,
  extensionCtx,
  hoverText,
  openUntitled,
  openWorkspaceFile,
  useProfile,
  waitFor,
} from '../helpers';
import { completionOf } from './helpers/expected';
import { startSlowProxy, type SlowProxy } from './helpers/slowProxy';

const MAX_TOKENS = 16;
const PROMPT = 'The dog ran and';

const invoke: vscode.InlineCompletionContext = {
  triggerKind: vscode.InlineCompletionTriggerKind.Invoke,
  selectedCompletionInfo: undefined,
};
const automatic: vscode.InlineCompletionContext = {
  triggerKind: vscode.InlineCompletionTriggerKind.Automatic,
  selectedCompletionInfo: undefined,
};

function itemText(list: vscode.InlineCompletionList | undefined): string | undefined {
  const insert = list?.items[0]?.insertText;
  return typeof insert === 'string' ? insert : insert?.value;
}

describe('editor: Complete Inline', () => {
  let ctx: Ctx;
  let server: LlamaCppServerHandle;
  let slow: SlowProxy;
  let restore: () => Promise<void>;
  let expected: string;

  const provide = (
    document: vscode.TextDocument,
    position: vscode.Position,
    context = invoke,
    token = new vscode.CancellationTokenSource().token,
  ): Promise<vscode.InlineCompletionList | undefined> =>
    ctx.features().provideInlineCompletions(ctx, document, position, context, token);

  before(async () => {
    ctx = await extensionCtx();
    server = await startLlamaCppServer();
    slow = await startSlowProxy(server.url, 40);
    restore = await useProfile(
      { name: 'llama (slow)', kind: 'llama-cpp', url: slow.url },
      { 'completion.maxTokens': MAX_TOKENS, 'inline.debounceMs': 50 },
    );
    expected = (await completionOf(server.url, PROMPT, MAX_TOKENS)).text;
    assert.ok(expected.length > 5);
  });

  after(async () => {
    await closeAllEditors();
    await restore();
    await slow.close();
    await server.close();
  });

  afterEach(closeAllEditors);

  it('streams: the first answer is the start of the completion, later answers the grown text, up to all of it', async () => {
    const editor = await openUntitled(PROMPT);
    const position = editor.selection.active;
    const first = itemText(await provide(editor.document, position));
    assert.ok(
      first && expected.startsWith(first),
      `first ghost text ${JSON.stringify(first)} starts the completion`,
    );
    const served = new Set<string>([first]);
    await waitFor(async () => {
      const text = itemText(await provide(editor.document, position));
      assert.ok(
        text !== undefined && expected.startsWith(text),
        `a prefix each time: ${JSON.stringify(text)}`,
      );
      served.add(text);
      return text === expected;
    }, 'the whole completion as ghost text');
    assert.ok(served.size > 1, 'the ghost text grew while the completion streamed');
  });

  it('"Complete Inline" asks VS Code for ghost text, which is served from the one streaming request', async () => {
    const editor = await openUntitled(PROMPT);
    const before = server.stats().completionRequests;
    await vscode.commands.executeCommand('promptLens.completeInline');
    await waitFor(
      () => server.stats().completionRequests > before,
      'VS Code to ask the provider, which asks the server',
    );
    await waitFor(
      async () => itemText(await provide(editor.document, editor.selection.active)) === expected,
      'the full ghost text',
    );
    assert.equal(
      server.stats().completionRequests,
      before + 1,
      'the re-triggers and this test were served from the run in flight',
    );
  });

  it('the accept command stores the accepted tokens where the text landed', async () => {
    const editor = await openUntitled(PROMPT);
    const position = editor.selection.active;
    await waitFor(
      async () => itemText(await provide(editor.document, position)) === expected,
      'the full ghost text',
    );
    const list = await provide(editor.document, position);
    const item = list?.items[0];
    assert.ok(item?.command);
    assert.ok(await editor.edit((builder) => builder.insert(position, expected)));
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const reference = await completionOf(server.url, PROMPT, MAX_TOKENS);
    const firstToken = reference.tokens[0];
    assert.ok(firstToken?.logprob !== null && firstToken?.logprob !== undefined);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      editor.document.positionAt(PROMPT.length),
    );
    assert.match(
      hoverText(hovers),
      new RegExp(
        `log-probability \\*\\*${firstToken.logprob.toFixed(4).replace('.', '\\.').replace('-', '\\-')}\\*\\*`,
      ),
    );
  });

  it('typing cancels the request behind the ghost text', async () => {
    const editor = await openUntitled(PROMPT);
    const abandonedBefore = slow.abandoned;
    const first = await provide(editor.document, editor.selection.active);
    assert.ok(itemText(first));
    assert.ok(await editor.edit((builder) => builder.insert(editor.selection.active, ' x')));
    await waitFor(() => slow.abandoned > abandonedBefore, 'the HTTP request to be aborted');
  });

  it('automatic requests are debounced and dropped when cancelled meanwhile', async () => {
    const editor = await openUntitled('The cat sat');
    const source = new vscode.CancellationTokenSource();
    const before = server.stats().completionRequests;
    const pending = provide(editor.document, editor.selection.active, automatic, source.token);
    source.cancel();
    assert.equal(await pending, undefined);
    assert.equal(server.stats().completionRequests, before, 'nothing was sent');
  });

  it('in a .prompt file, completes the rendered template up to the cursor', async () => {
    const editor = await openWorkspaceFile('complete/story.prompt');
    const text = editor.document.getText();
    const body = 'Once upon a time the {{ animal }}';
    const atEnd = editor.document.positionAt(text.indexOf(body) + body.length);
    const reference = await completionOf(server.url, 'Once upon a time the cat', 12);
    await waitFor(
      async () => itemText(await provide(editor.document, atEnd)) === reference.text,
      'the completion of the rendered prompt',
    );
    const midBody = editor.document.positionAt(text.indexOf(' time'));
    const midReference = await completionOf(server.url, 'Once upon a', 12);
    await waitFor(
      async () => itemText(await provide(editor.document, midBody)) === midReference.text,
      'the completion of the text before the cursor',
    );
    assert.equal(
      await provide(editor.document, new vscode.Position(1, 3)),
      undefined,
      'nothing in the front matter',
    );
  });
});
