import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { renderPromptFile } from '../../../src/core/promptFile/index';
import { tokenLensCommand } from '../../../src/features/promptFile/codeLens';
import { tokenCounter } from '../../../src/features/tokens/tokenCount';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { closeAllEditors, extensionCtx, fixtureUri, openFixture, useProfiles, waitFor } from './helpers';

const PROFILE = 'editor codeLens test';

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses =
    (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '');
}

async function tokenLens(uri: vscode.Uri, title: RegExp): Promise<vscode.CodeLens> {
  return waitFor(`a CodeLens titled ${title}`, async () => {
    const lenses =
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    return lenses.find((lens) => title.test(lens.command?.title ?? ''));
  });
}

function tokenizeRequests(server: LlamaCppServerHandle): number {
  return server.requests.filter((request) => request.path === '/tokenize').length;
}

describe('editor: CodeLens and token count of .prompt files', () => {
  let server: LlamaCppServerHandle;
  let restore: () => Promise<void>;
  let ctx: Ctx;

  before(async () => {
    server = await startLlamaCppServer();
    ctx = await extensionCtx();
    restore = await useProfiles([{ name: PROFILE, kind: 'llama-cpp', url: server.url }], PROFILE);
  });
  after(async () => {
    await closeAllEditors();
    await restore();
    await server.close();
  });

  it('shows Complete, Evaluate, Explain and the token count the server gives for the rendered prompt', async () => {
    const editor = await openFixture('count.prompt');
    const rendered = await renderPromptFile(editor.document.getText(), { backendKind: 'llama-cpp' });
    assert.equal(rendered.text, 'Tell me one surprising fact about the otter.\n');
    const expected = server.model.tokenize(rendered.text).length;
    assert.ok(expected > 5);

    const lens = await tokenLens(editor.document.uri, /^\d+ tokens?$/);
    assert.equal(lens.command?.title, `${expected} tokens`);
    assert.equal(lens.command?.command, 'promptLens.showTokens');
    assert.deepEqual((await lensTitles(editor.document.uri)).slice(0, 3), [
      'Complete',
      'Evaluate',
      'Explain',
    ]);
    const commands = (
      (await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        editor.document.uri,
      )) ?? []
    ).map((l) => l.command?.command);
    assert.deepEqual(commands.slice(0, 3), [
      'promptLens.complete',
      'promptLens.evaluate',
      'promptLens.explain',
    ]);
    assert.equal(lens.range.start.line, 0);
  });

  it('shows the same count in the status bar, with the profile', async () => {
    const editor = await openFixture('count.prompt');
    const expected = server.model.tokenize(
      (await renderPromptFile(editor.document.getText(), { backendKind: 'llama-cpp' })).text,
    ).length;
    const state = await waitFor(
      'the status bar count',
      () => ctx.statusBar.state.tokens === expected && ctx.statusBar.state,
    );
    assert.equal(state.profile, PROFILE);
    assert.match(state.text, new RegExp(`${PROFILE} .*${expected} tokens`));
  });

  it('counts again after an edit, and the lens follows', async () => {
    const editor = await openFixture('count.prompt');
    await tokenLens(editor.document.uri, /^\d+ tokens$/);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, 'The cats sat on the mat and the dogs ran.\n'));
    const rendered = await renderPromptFile(editor.document.getText(), { backendKind: 'llama-cpp' });
    const expected = server.model.tokenize(rendered.text).length;
    const lens = await tokenLens(editor.document.uri, new RegExp(`^${expected} tokens$`));
    assert.equal(lens.command?.title, `${expected} tokens`);
    await waitFor('the status bar to follow', () => ctx.statusBar.state.tokens === expected);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('counts again when a file the prompt includes changes on disk, the prompt unedited', async () => {
    const part = fixtureUri('count-part.liquid');
    const prompt = fixtureUri('count-includes.prompt');
    await vscode.workspace.fs.writeFile(part, Buffer.from('one two'));
    await vscode.workspace.fs.writeFile(prompt, Buffer.from('Words: {% include "count-part" %}'));
    const count = (words: string) => server.model.tokenize(`Words: ${words}`).length;
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(prompt));
      await tokenLens(editor.document.uri, new RegExp(`^${count('one two')} tokens$`));
      const more = 'one two three four five six seven';
      assert.notEqual(count(more), count('one two'));
      await vscode.workspace.fs.writeFile(part, Buffer.from(more));
      await tokenLens(editor.document.uri, new RegExp(`^${count(more)} tokens$`));
      await waitFor('the status bar to follow', () => ctx.statusBar.state.tokens === count(more));
      assert.equal(editor.document.version, 1, 'the prompt itself was not edited');
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(part);
      await vscode.workspace.fs.delete(prompt);
    }
  });

  it('counts a selection in a .prompt file as the selection', async () => {
    const editor = await openFixture('count.prompt');
    const line = editor.document.lineAt(4);
    editor.selection = new vscode.Selection(line.range.start, line.range.end);
    const expected = server.model.tokenize(line.text).length;
    const lens = await tokenLens(editor.document.uri, /\(selection\)$/);
    assert.equal(lens.command?.title, `${expected} tokens (selection)`);
    assert.equal(ctx.statusBar.state.tokens, expected);
  });

  it('does not tokenize a plain document without a selection', async () => {
    await openFixture('count.prompt');
    await waitFor('a count', () => ctx.statusBar.state.tokens !== undefined);
    const before = tokenizeRequests(server);
    const document = await vscode.workspace.openTextDocument(fixtureUri('tokens.txt'));
    await vscode.window.showTextDocument(document);
    await waitFor('the count to be hidden', () => ctx.statusBar.state.tokens === undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(tokenizeRequests(server), before);
    assert.equal(ctx.statusBar.state.tokens, undefined);
  });

  it('says briefly when the server cannot be reached, with a tooltip explaining', async () => {
    const down = await startLlamaCppServer();
    const url = down.url;
    await down.close();
    const restoreDown = await useProfiles([{ name: 'nobody home', kind: 'llama-cpp', url }], 'nobody home');
    try {
      const editor = await openFixture('count.prompt');
      const lens = await tokenLens(editor.document.uri, /^tokens: server unreachable$/);
      assert.equal(lens.command?.command, 'promptLens.selectProfile');
      // The command API drops tooltips: read the one the provider builds from the same state.
      const command = tokenLensCommand(ctx.service(tokenCounter).stateOf(editor.document));
      assert.equal(command.title, lens.command?.title);
      assert.match(
        command.tooltip ?? '',
        new RegExp(`did not answer .*Start the server, or click to select another profile`),
      );
      assert.equal(ctx.statusBar.state.tokens, undefined);
      assert.match(ctx.statusBar.state.tokenNote, /not counted/);
    } finally {
      await restoreDown();
      await useProfiles([{ name: PROFILE, kind: 'llama-cpp', url: server.url }], PROFILE);
    }
  });

  it('asks to fix the template first when the .prompt file has errors', async () => {
    const editor = await openFixture('broken.prompt');
    const lens = await tokenLens(editor.document.uri, /^tokens: /);
    assert.equal(lens.command?.title, 'tokens: fix the template first');
    assert.equal(lens.command?.command, 'workbench.actions.view.problems');
    await waitFor('no count in the status bar', () => ctx.statusBar.state.tokens === undefined);
  });

  it('leaves the count out when promptLens.tokenCount.enabled is off', async () => {
    const settings = vscode.workspace.getConfiguration('promptLens');
    await settings.update('tokenCount.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openFixture('count.prompt');
      await waitFor(
        'only the three actions',
        async () => (await lensTitles(editor.document.uri)).join('|') === 'Complete|Evaluate|Explain',
      );
      await waitFor('no count in the status bar', () => ctx.statusBar.state.tokens === undefined);
    } finally {
      await settings.update('tokenCount.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
