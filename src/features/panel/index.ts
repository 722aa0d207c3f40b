import type * as vscode from 'vscode';
import type { Ctx } from '../../ctx';

/** "Prompt Lens: Open Panel". */
export async function openPanel(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}

/** The panel as a view in the Prompt Lens activity-bar container. */
export function resolvePanelView(_ctx: Ctx, _view: vscode.WebviewView): void {}

/** Restores a panel after a reload (webview serializer). */
export async function restorePanel(_ctx: Ctx, _panel: vscode.WebviewPanel, _state: unknown): Promise<void> {}
