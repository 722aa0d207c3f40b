// Shared by the editor integration tests: the extension's context, a profile pointing at a test
// server, fixture documents and waiting for asynchronous editor state.
import * as vscode from 'vscode';
import type { Profile } from '../../../src/core/profile';

export { extensionCtx } from '../helpers';

/** Makes `profiles` the configured ones and `active` the active one; returns what restores the old settings. */
export async function useProfiles(profiles: Profile[], active: string): Promise<() => Promise<void>> {
  const settings = vscode.workspace.getConfiguration('promptLens');
  const before = {
    profiles: settings.inspect('profiles')?.globalValue,
    active: settings.inspect('activeProfile')?.globalValue,
  };
  await settings.update('profiles', profiles, vscode.ConfigurationTarget.Global);
  await settings.update('activeProfile', active, vscode.ConfigurationTarget.Global);
  return async () => {
    const current = vscode.workspace.getConfiguration('promptLens');
    await current.update('profiles', before.profiles, vscode.ConfigurationTarget.Global);
    await current.update('activeProfile', before.active, vscode.ConfigurationTarget.Global);
  };
}

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'prompt-files', name);
}

export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(document);
}

/** Polls until `probe` returns something other than undefined/false; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Reverts and closes the active editor (fixtures edited by a test are left unchanged on disk). */
export async function revertAndClose(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}
