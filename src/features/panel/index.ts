// "Prompt Lens: Open Panel", the activity-bar view and the panel's restoration after a reload.
import * as vscode from 'vscode';
import { VIEW } from '../../ids';
import type { Ctx, ServiceKey } from '../../ctx';
import type { Run } from '../../webview/protocol';
import { PanelSession } from './session';
import { webviewOptions } from './html';

export const PANEL_VIEW_TYPE = VIEW.panel;

/** The editor panel (at most one) and every live session, disposed with the extension. */
export class PanelHost implements vscode.Disposable {
  panel: vscode.WebviewPanel | undefined;
  /** The session of `panel`. */
  panelSession: PanelSession | undefined;
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
    const session = this.attach(panel.webview, panel.onDidDispose, document);
    this.panelSession = session;
    panel.onDidDispose(() => {
      if (this.panel !== panel) return;
      this.panel = undefined;
      this.panelSession = undefined;
    });
    return session;
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
  openPanelFor(ctx, vscode.window.activeTextEditor?.document);
}

/**
 * Runs `action` on `document` in the panel (opened beside the editor if it is not), with the file's
 * own variables, and resolves with the run once it finished (it is in the panel and its history).
 */
export async function runInPanel(
  ctx: Ctx,
  document: vscode.TextDocument,
  action: Run['action'],
): Promise<Run> {
  const session = openPanelFor(ctx, document);
  session.follow(document);
  return session.runFromCommand(action);
}

function openPanelFor(ctx: Ctx, document: vscode.TextDocument | undefined): PanelSession {
  const host = ctx.service(panelHost);
  if (host.panel && host.panelSession) {
    host.panel.reveal(undefined, true);
    return host.panelSession;
  }
  const panel = vscode.window.createWebviewPanel(
    PANEL_VIEW_TYPE,
    'Prompt Lens',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    webviewOptions(ctx.extension.extensionUri),
  );
  panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'icon.svg');
  return host.adoptPanel(panel, document);
}

/** The panel as a view in the Prompt Lens activity-bar container. */
export function resolvePanelView(ctx: Ctx, view: vscode.WebviewView): void {
  ctx.service(panelHost).attach(view.webview, view.onDidDispose);
}

/** Restores a panel after a reload (webview serializer); the webview restores its own state. */
export async function restorePanel(ctx: Ctx, panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
  ctx.service(panelHost).adoptPanel(panel);
}
