import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptLensApi } from '../../src/extension';
import { waitFor } from './helpers';

const EXTENSION_ID = 'prompt-lens.prompt-lens';

function featuresLoaded(): boolean {
  return Object.keys(require.cache).some(
    (file) => file.endsWith(`${path.sep}features.js`) && file.includes('dist'),
  );
}

describe('extension', () => {
  it('activates in a workspace with .prompt files (for the Test Explorer) without loading the feature bundle', () => {
    const extension = vscode.extensions.getExtension<PromptLensApi>(EXTENSION_ID);
    assert.ok(extension, 'extension is installed');
    const events = (extension.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(
      events.includes('workspaceContains:**/*.prompt'),
      'a workspace with .prompt files activates it',
    );
    assert.ok(!events.includes('*'), 'never on every start-up');
    assert.equal(featuresLoaded(), false, 'features.js must load on first use, not at activation');
  });

  it('activates on Show Log without loading the feature bundle', async () => {
    await vscode.commands.executeCommand('promptLens.showLog');
    const extension = vscode.extensions.getExtension<PromptLensApi>(EXTENSION_ID);
    assert.equal(extension?.isActive, true);
    assert.equal(typeof extension?.exports.activationMs, 'number');
    assert.equal(featuresLoaded(), false, 'features.js must load on first use, not at activation');
  });

  it('New Prompt File opens a liquid-prompt document with the starter template', async () => {
    // The log shown by the previous test holds the focus in the panel: close it first.
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('promptLens.newPromptFile');
    await waitFor(
      () => vscode.window.activeTextEditor?.document.languageId === 'liquid-prompt',
      'the new prompt file to be the active editor',
    );
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'liquid-prompt');
    assert.match(
      editor.document.getText(),
      /^---\n[\s\S]*\n---\nWrite one sentence about \{\{ topic \}\}\.\n$/,
    );
    assert.equal(featuresLoaded(), true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('gives .prompt files the liquid-prompt language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.prompt'));
    assert.equal(document.languageId, 'liquid-prompt');
  });
});
