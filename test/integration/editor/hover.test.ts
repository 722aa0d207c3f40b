import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
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

const PROMPT = 'Once upon a time the cat';
const MAX_TOKENS = 12;

const hoversAt = (document: vscode.TextDocument, offset: number): Thenable<vscode.Hover[]> =>
  vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    document.positionAt(offset),
  );

describe('editor: hovers', () => {
  let server: LlamaCppServerHandle;
  let restore: () => Promise<void>;

  before(async () => {
    await extensionCtx();
    server = await startLlamaCppServer();
    restore = await useProfile(
      { name: 'llama (test)', kind: 'llama-cpp', url: server.url },
      { 'completion.maxTokens': MAX_TOKENS, 'completion.topLogProbs': 3 },
    );
  });

  after(async () => {
    await closeAllEditors();
    await restore();
    await server.close();
  });

  it('a generated token shows its log-probability, probability, rank and alternatives', async () => {
    const reference = await completionOf(server.url, PROMPT, MAX_TOKENS, 3);
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    const second = reference.tokens[1];
    assert.ok(second && second.logprob !== null);
    const at = PROMPT.length + (reference.tokens[0]?.text.length ?? 0);
    const text = hoverText(await hoversAt(editor.document, at));
    assert.match(text, /\*\*Generated token\*\*/);
    assert.ok(text.includes(`log-probability **${second.logprob.toFixed(4)}**`), text);
    assert.ok(
      text.includes(
        `probability **${(Math.exp(second.logprob) * 100).toFixed(Math.exp(second.logprob) >= 0.1 ? 1 : 2)} %**`,
      ),
      text,
    );
    assert.match(text, /rank \*\*(\d of 3|not in the top 3)\*\*/);
    assert.equal(
      text.split('\n').filter((line) => /^\| \d \| `/.test(line)).length,
      second.top.length,
      'one row per alternative',
    );
    assert.equal((await hoversAt(editor.document, 3)).length, 0, 'the prompt has no token hover');
  });

  it('token hovers follow edits before them and disappear from an edited token', async () => {
    const reference = await completionOf(server.url, PROMPT, MAX_TOKENS, 3);
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    const [first, second] = reference.tokens;
    assert.ok(first && second && second.logprob !== null);
    const secondAt = PROMPT.length + first.text.length;
    assert.ok(await editor.edit((builder) => builder.insert(new vscode.Position(0, 0), '>> ')));
    const moved = hoverText(await hoversAt(editor.document, secondAt + 3));
    assert.ok(
      moved.includes(`log-probability **${second.logprob.toFixed(4)}**`),
      'the hover moved with the text',
    );
    assert.ok(await editor.edit((builder) => builder.insert(editor.document.positionAt(secondAt + 4), 'X')));
    const edited = hoverText(await hoversAt(editor.document, secondAt + 4));
    assert.ok(
      !edited.includes(`log-probability **${second.logprob.toFixed(4)}**`),
      'the edited token lost its numbers',
    );
  });

  it('in a .prompt file, hovering {{ var }} shows what it rendered to, each time in a loop', async () => {
    const editor = await openWorkspaceFile('complete/variables.prompt');
    const text = editor.document.getText();
    await waitFor(
      async () => hoverText(await hoversAt(editor.document, text.indexOf('animal |') + 2)).includes('OTTER'),
      'the hover of {{ animal | upcase }}',
    );
    const loop = hoverText(await hoversAt(editor.document, text.indexOf('{{ c }}') + 3));
    assert.match(loop, /renders 2 times/);
    assert.ok(loop.includes('red') && loop.includes('green'));
    assert.doesNotMatch(
      hoverText(await hoversAt(editor.document, text.indexOf('sat'))),
      /renders/,
      'plain text has no variable hover',
    );
  });
});
