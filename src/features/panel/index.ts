// "Prompt Lens: Open Panel", the activity-bar view and the panel's restoration after a reload.
import * as vscode from 'vscode';
import type { Ctx, ServiceKey } from '../../ctx';
import { PanelSession } from './session';
import { webviewOptions } from './html';

export const PANEL_VIEW_TYPE = 'promptLens.panel';

/** The editor panel (at most one) and every live session, disposed with the extension. */
export class PanelHost implements vscode.Disposable {
  panel: vscode.WebviewPanel | undefined;
  readonly sessions = new Set<PanelSession>();

  constructor(private readonly ctx: Ctx) {}

  attach(
    webview: vscode.Webview,
    onDidDispose: vscode.Event<void>,
    document?: vscode.TextDocument,
  ): PanelSession {
    const session = new PanelSession(this.ctx, webview, document ? { document } : {});
    this.sessions.add(session);
    onDidDispose(() => {
      this.sessions.delete(session);
      session.dispose();
    });
    session.start();
    return session;
  }

  adoptPanel(panel: vscode.WebviewPanel, document?: vscode.TextDocument): PanelSession {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return this.attach(panel.webview, panel.onDidDispose, document);
  }

  dispose(): void {
    for (const session of this.sessions) session.dispose();
    this.sessions.clear();
    this.panel?.dispose();
  }
}

export const panelHost: ServiceKey<PanelHost> = { name: 'panel', create: (ctx) => new PanelHost(ctx) };

/** "Prompt Lens: Open Panel". */
export async function openPanel(ctx: Ctx): Promise<void> {
  const host = ctx.service(panelHost);
  if (host.panel) {
    host.panel.reveal(undefined, true);
    return;
  }
  const document = vscode.window.activeTextEditor?.document;
  const panel = vscode.window.createWebviewPanel(
    PANEL_VIEW_TYPE,
    'Prompt Lens',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    webviewOptions(ctx.extension.extensionUri),
  );
  panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icon.svg');
  host.adoptPanel(panel, document);
}

/** The panel as a view in the Prompt Lens activity-bar container. */
export function resolvePanelView(ctx: Ctx, view: vscode.WebviewView): void {
  ctx.service(panelHost).attach(view.webview, view.onDidDispose);
}

/** Restores a panel after a reload (webview serializer); the webview restores its own state. */
export async function restorePanel(ctx: Ctx, panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
  ctx.service(panelHost).adoptPanel(panel);
}
