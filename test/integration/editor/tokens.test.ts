import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { tokenView } from '../../../src/features/tokens/showTokens';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { hoverText } from '../helpers';
import { closeAllEditors, extensionCtx, openFixture, useProfiles, waitFor } from './helpers';

const PROFILE = 'editor tokens test';

async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ??
    [];
  return hoverText(hovers);
}

describe('editor: Show Tokens', () => {
  let server: LlamaCppServerHandle;
  let restore: () => Promise<void>;
  let ctx: Ctx;

  before(async () => {
    server = await startLlamaCppServer();
    ctx = await extensionCtx();
    restore = await useProfiles([{ name: PROFILE, kind: 'llama-cpp', url: server.url }], PROFILE);
  });
  after(async () => {
    await vscode.commands.executeCommand('promptLens.hideTokens');
    await closeAllEditors();
    await restore();
    await server.close();
  });

  it('marks every token of a document, as many as the server counts, with ids on hover', async () => {
    const editor = await openFixture('tokens.txt');
    const text = editor.document.getText();
    const ids = server.model.tokenize(text);
    await vscode.commands.executeCommand('promptLens.showTokens');
    const shown = ctx.service(tokenView).current;
    assert.ok(shown, 'tokens are shown');
    assert.equal(shown.document, editor.document);
    assert.equal(shown.decorationCount, ids.length);
    // Spans tile the text: their texts, in order, are the document.
    assert.equal(shown.spans.map((span) => text.slice(span.start, span.start + span.length)).join(''), text);

    // "Once" is the first token; the hover names its id.
    const firstId = ids[0];
    const hover = await hoverAt(editor.document.uri, new vscode.Position(0, 1));
    assert.match(hover, new RegExp(`id ${firstId}\\b`));
    // The token after " upon" (" a") has its own id.
    const third = shown.spans[2];
    assert.ok(third);
    const thirdHover = await hoverAt(
      editor.document.uri,
      editor.document.positionAt(third.start + third.length - 1),
    );
    assert.match(thirdHover, new RegExp(`id ${ids[2]}\\b`));
  });

  it('Hide Tokens clears them and the hover', async () => {
    const editor = await openFixture('tokens.txt');
    await vscode.commands.executeCommand('promptLens.showTokens');
    assert.ok(ctx.service(tokenView).current);
    await vscode.commands.executeCommand('promptLens.hideTokens');
    assert.equal(ctx.service(tokenView).current, undefined);
    assert.doesNotMatch(await hoverAt(editor.document.uri, new vscode.Position(0, 1)), /\bid \d+/);
  });

  it('clears the tokens when the text is edited', async () => {
    const editor = await openFixture('tokens.txt');
    await vscode.commands.executeCommand('promptLens.showTokens');
    assert.ok(ctx.service(tokenView).current);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'X'));
    await waitFor('tokens hidden after the edit', () => ctx.service(tokenView).current === undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("shows only the selection's tokens", async () => {
    const editor = await openFixture('tokens.txt');
    const line = editor.document.lineAt(1);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);
    await vscode.commands.executeCommand('promptLens.showTokens');
    const shown = ctx.service(tokenView).current;
    assert.ok(shown);
    assert.equal(shown.decorationCount, server.model.tokenize(line.text).length);
    const offset = editor.document.offsetAt(line.range.start);
    assert.ok(
      shown.spans.every(
        (span) => span.start >= offset && span.start + span.length <= offset + line.text.length,
      ),
    );
    // Having used a Prompt Lens command, a selection in a plain document is counted too.
    await waitFor(
      'the selection count in the status bar',
      () => ctx.statusBar.state.tokens === server.model.tokenize(line.text).length,
    );
    await vscode.commands.executeCommand('promptLens.hideTokens');
  });

  it('on a .prompt file marks the template: literal text token by token, a {{ var }} once for all its tokens', async () => {
    const editor = await openFixture('tokens.prompt');
    const source = editor.document.getText();
    const rendered = 'Once upon a time the otter sat on the mat.\n';
    const ids = server.model.tokenize(rendered);
    await vscode.commands.executeCommand('promptLens.showTokens');
    const shown = ctx.service(tokenView).current;
    assert.ok(shown);
    const tag = source.indexOf('{{ animal }}');
    const tagSpans = shown.spans.filter(
      (span) => span.start <= tag && span.start + span.length >= tag + '{{ animal }}'.length,
    );
    assert.equal(tagSpans.length, 1, 'the tag is shown once');
    const tagSpan = tagSpans[0];
    assert.ok(tagSpan?.whole);
    // Every token is accounted for once, in order.
    assert.equal(
      shown.spans.reduce((sum, span) => sum + span.tokens.length, 0),
      ids.length,
    );
    assert.deepEqual(
      shown.spans.flatMap((span) => span.tokens.map((token) => token.id)),
      ids,
    );
    // Literal spans cover exactly their token's text (SentencePiece adds a space at the very start).
    for (const span of shown.spans.filter((s) => !s.whole)) {
      assert.equal(span.tokens.length, 1);
      const covered = source.slice(span.start, span.start + span.length);
      assert.ok(
        [covered, ` ${covered}`].includes(span.tokens[0]?.text ?? ''),
        `${JSON.stringify(covered)} vs ${JSON.stringify(span.tokens[0]?.text)}`,
      );
    }
    assert.ok(shown.decorationCount < ids.length, 'tokens of the variable share one decoration');
    const hover = await hoverAt(editor.document.uri, editor.document.positionAt(tag + 3));
    for (const token of tagSpan?.tokens ?? []) assert.match(hover, new RegExp(`id ${token.id}\\b`));
    await vscode.commands.executeCommand('promptLens.hideTokens');
  });
});
