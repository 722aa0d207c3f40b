// Shared by the Explain Target integration tests: window stubs, the explain fixtures and clean-up.
import * as vscode from 'vscode';
import type { Ctx } from '../../../../src/ctx';
import type { HeatmapController } from '../../../../src/features/explain/heatmap';
import { closeAllEditors } from '../helpers';

export type WindowStubs = Partial<
  Record<
    | 'showInputBox'
    | 'showWarningMessage'
    | 'showErrorMessage'
    | 'showInformationMessage'
    | 'withProgress'
    | 'showQuickPick',
    unknown
  >
>;

/** Replaces `vscode.window` functions for one test; returns what puts the originals back. */
export function stubWindow(stubs: WindowStubs): () => void {
  const window = vscode.window as unknown as Record<string, unknown>;
  const originals = Object.fromEntries(Object.keys(stubs).map((name) => [name, window[name]]));
  Object.assign(window, stubs);
  return () => Object.assign(window, originals);
}

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'explain', name);
}

/** Opens a fixture with an empty selection (VS Code would restore the last one). */
export async function open(name: string): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixture(name)));
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  return editor;
}

export const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');

/** The heat map service of the extension (it exists once an explanation ran). */
export function heatmapOf(ctx: Ctx): HeatmapController {
  return ctx.service<HeatmapController>({
    name: 'explain.heatmap',
    create: () => {
      throw new Error('the heat map service does not exist yet');
    },
  });
}

/** Clears the heat map and closes every editor. */
export async function clearExplanationAndEditors(): Promise<void> {
  await vscode.commands.executeCommand('promptLens.clearExplanation');
  await closeAllEditors();
}

/**
 * The hook every explain suite needs: after each test its window stubs are restored and the heat map
 * and editors cleared. Returns what installs a test's stubs (replacing any installed before).
 */
export function windowStubsPerTest(): (stubs: WindowStubs) => void {
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await clearExplanationAndEditors();
  });
  return (stubs) => {
    restore?.();
    restore = stubWindow(stubs);
  };
}

/** Back to the default granularity and cost threshold of Explain Target. */
export async function resetExplainSettings(): Promise<void> {
  const settings = vscode.workspace.getConfiguration('promptLens');
  await settings.update('explain.granularity', undefined, vscode.ConfigurationTarget.Global);
  await settings.update('explain.costThreshold', undefined, vscode.ConfigurationTarget.Global);
}
