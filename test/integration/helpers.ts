// Shared helpers for integration tests: reach the extension's context, point it at a test server,
// set an API key through the real command, capture notifications, wait for editor state.
import * as vscode from 'vscode';
import type { Ctx } from '../../src/ctx';
import type { PromptLensApi } from '../../src/extension';

export const EXTENSION_ID = 'prompt-lens.prompt-lens';

/** Activates the extension (through a command, as a user would) and returns its context. */
export async function extensionCtx(): Promise<Ctx> {
  const extension = vscode.extensions.getExtension<PromptLensApi>(EXTENSION_ID);
  if (!extension) throw new Error('Prompt Lens is not installed in this VS Code');
  if (!extension.isActive) await vscode.commands.executeCommand('promptLens.showLog');
  return extension.exports.ctx;
}

export interface TestProfile {
  name: string;
  kind: 'aleph-alpha' | 'llama-cpp' | 'openai';
  url: string;
  model?: string;
}

/**
 * Makes `profile` the only profile and the active one (global settings), plus any other
 * `promptLens.*` settings given by their key after `promptLens.`. Returns a restore function.
 */
export async function useProfile(
  profile: TestProfile,
  settings: Record<string, unknown> = {},
): Promise<() => Promise<void>> {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('promptLens');
  const keys = ['profiles', 'activeProfile', ...Object.keys(settings)];
  const previous = new Map(keys.map((key) => [key, config().inspect(key)?.globalValue]));
  await config().update('profiles', [profile], vscode.ConfigurationTarget.Global);
  await config().update('activeProfile', profile.name, vscode.ConfigurationTarget.Global);
  for (const [key, value] of Object.entries(settings))
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of previous) await config().update(key, value, vscode.ConfigurationTarget.Global);
  };
}

/** Sets `promptLens.<key>` globally; returns a restore function. */
export async function useSetting(key: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('promptLens');
  const previous = config.inspect(key)?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  return async () =>
    vscode.workspace.getConfiguration('promptLens').update(key, previous, vscode.ConfigurationTarget.Global);
}

type WindowMethod =
  | 'showErrorMessage'
  | 'showWarningMessage'
  | 'showInformationMessage'
  | 'showInputBox'
  | 'showQuickPick'
  | 'withProgress';

/** Replaces a `vscode.window` function for the duration of a test; call the result to restore it. */
export function stubWindow<K extends WindowMethod>(
  name: K,
  replacement: (...args: never[]) => unknown,
): () => void {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window[name];
  window[name] = replacement;
  return () => {
    window[name] = original;
  };
}

export interface ShownMessage {
  message: string;
  items: string[];
}

/**
 * Records messages of one kind (error, warning or information) instead of showing them; `answer`
 * picks the item to "click". Call `restore()` when done.
 */
export function captureMessages(
  kind: 'error' | 'warning' | 'information',
  answer: (message: ShownMessage) => string | undefined = () => undefined,
): { shown: ShownMessage[]; restore: () => void; next(): Promise<ShownMessage> } {
  const shown: ShownMessage[] = [];
  const waiters: ((message: ShownMessage) => void)[] = [];
  const name =
    kind === 'error'
      ? 'showErrorMessage'
      : kind === 'warning'
        ? 'showWarningMessage'
        : 'showInformationMessage';
  const restore = stubWindow(name, (...args: never[]) => {
    const [message, ...rest] = args as unknown as unknown[];
    const items = rest.filter((item): item is string => typeof item === 'string');
    const entry = { message: String(message), items };
    shown.push(entry);
    waiters.splice(0).forEach((resolve) => resolve(entry));
    return Promise.resolve(answer(entry));
  });
  const next = (): Promise<ShownMessage> => new Promise((resolve) => waiters.push(resolve));
  return { shown, restore, next };
}

/** Stores an API key for a profile through "Prompt Lens: Set API Key" (its input box answered). */
export async function setApiKey(profileName: string, token: string): Promise<void> {
  const restoreInput = stubWindow('showInputBox', () => Promise.resolve(token));
  const messages = captureMessages('information');
  try {
    await vscode.commands.executeCommand('promptLens.setApiKey', profileName);
  } finally {
    restoreInput();
    messages.restore();
  }
}

/**
 * useProfile, then the profile's API key stored through "Prompt Lens: Set API Key" (setApiKey);
 * when storing fails, the settings are restored before the error is passed on.
 */
export async function useProfileWithKey(
  profile: TestProfile,
  token: string,
  settings: Record<string, unknown> = {},
): Promise<() => Promise<void>> {
  const restore = await useProfile(profile, settings);
  try {
    await setApiKey(profile.name, token);
  } catch (error) {
    await restore();
    throw error;
  }
  return restore;
}

/** Polls `condition` until it holds (checked every 10 ms); fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Opens an untitled document with `content` in an editor; the cursor at the end, nothing selected. */
export async function openUntitled(content: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content, language });
  const editor = await vscode.window.showTextDocument(document);
  const end = document.positionAt(content.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Opens a file of the test workspace (a fresh copy of test/fixtures/workspace) in an editor. */
export async function openWorkspaceFile(relativePath: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, relativePath));
  return vscode.window.showTextDocument(document);
}

/** Closes every editor, discarding changes of untitled documents. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Plain text of a hover's contents. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Workspace or global state kept in memory (a panel's history in tests). */
export class MemoryMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}

/** Records the status bar messages set instead of showing them; call `restore()` when done. */
export function captureStatusMessages(): { shown: string[]; restore: () => void } {
  const shown: string[] = [];
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window['setStatusBarMessage'];
  window['setStatusBarMessage'] = (text: string) => (shown.push(text), { dispose() {} });
  return {
    shown,
    restore: () => {
      window['setStatusBarMessage'] = original;
    },
  };
}
