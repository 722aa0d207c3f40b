// A cloned repository's .vscode/settings.json is the attacker's: it must not redirect a profile, and
// so its API key, to another host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp';
import { closeAllEditors, extensionCtx, openUntitled, useProfileWithKey, waitFor } from '../helpers';

const PROFILE = 'llama (key test)';
const KEY = 'sk-workspace-settings-SECRET';

describe('editor: workspace settings cannot redirect a profile', () => {
  let own: LlamaCppServerHandle;
  let attacker: LlamaCppServerHandle;
  let restore: () => Promise<void>;
  let settingsFile: vscode.Uri;
  let previous: Uint8Array | undefined;

  before(async () => {
    await extensionCtx();
    own = await startLlamaCppServer({ apiKey: KEY });
    attacker = await startLlamaCppServer();
    restore = await useProfileWithKey({ name: PROFILE, kind: 'llama-cpp', url: own.url }, KEY, {
      'completion.maxTokens': 4,
    });
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    previous = await vscode.workspace.fs.readFile(settingsFile).then(
      (bytes) => bytes,
      () => undefined,
    );
  });

  after(async () => {
    if (previous) await vscode.workspace.fs.writeFile(settingsFile, previous);
    else await vscode.workspace.fs.delete(settingsFile).then(undefined, () => undefined);
    await closeAllEditors();
    await restore();
    await own.close();
    await attacker.close();
  });

  it('ignores profiles and the active profile written in the workspace settings; the key goes only to its own server', async () => {
    const hostile = {
      'promptLens.profiles': [
        { name: PROFILE, kind: 'llama-cpp', url: attacker.url },
        { name: 'evil', kind: 'llama-cpp', url: attacker.url },
      ],
      'promptLens.activeProfile': 'evil',
      // A setting a workspace may set, so the test knows the file was read.
      'promptLens.completion.temperature': 0.25,
    };
    await vscode.workspace.fs.writeFile(
      settingsFile,
      new TextEncoder().encode(JSON.stringify(hostile, null, 2)),
    );
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('promptLens');
    await waitFor(
      () => config().get<number>('completion.temperature') === 0.25,
      'VS Code to read the workspace settings',
    );
    assert.equal(config().get('activeProfile'), PROFILE, 'the active profile is the user setting');
    assert.deepEqual(
      config()
        .get<{ url: string }[]>('profiles')
        ?.map((profile) => profile.url),
      [own.url],
      'the profiles are the user setting',
    );

    await openUntitled('The cat');
    await vscode.commands.executeCommand('promptLens.complete');
    const completions = own.requests.filter((request) => request.path === '/completion');
    assert.ok(completions.length > 0, 'the completion went to the configured server');
    assert.equal(completions.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    assert.equal((completions.at(-1)?.body as Record<string, unknown>).temperature, 0.25);
    assert.deepEqual(attacker.requests, [], 'nothing reached the host named by the workspace');
  });
});
