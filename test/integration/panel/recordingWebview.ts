// A webview stand-in for the panel's host side: it records what the real PanelSession posts.
import type * as vscode from 'vscode';
import type { HostToWebview } from '../../../src/webview/protocol';

export class RecordingWebview {
  readonly posted: HostToWebview[] = [];
  readonly cspSource = 'vscode-webview://test';
  options: vscode.WebviewOptions = {};
  html = '';
  postMessage(message: HostToWebview): Thenable<boolean> {
    this.posted.push(message);
    return Promise.resolve(true);
  }
  onDidReceiveMessage(): vscode.Disposable {
    return { dispose() {} };
  }
  asWebviewUri(uri: vscode.Uri): vscode.Uri {
    return uri;
  }
  /** The messages of one type, in order. */
  of<T extends HostToWebview['type']>(type: T): Extract<HostToWebview, { type: T }>[] {
    return this.posted.filter((m): m is Extract<HostToWebview, { type: T }> => m.type === type);
  }
  /** What PanelSession takes. */
  get webview(): vscode.Webview {
    return this as unknown as vscode.Webview;
  }
}
