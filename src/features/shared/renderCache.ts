import * as vscode from 'vscode';
import type { BackendKind } from '../../core/backend';
import { renderPromptFile, type RenderResult } from '../../core/promptFile/index';
import type { ServiceKey } from '../../ctx';

interface Entry {
  version: number;
  /** Paths the renderings read (includes, images): a change to one of them drops the entry. */
  reads: Set<string>;
  results: Map<string, Promise<RenderResult>>;
}

/**
 * One rendering of a `.prompt` document per version (and backend kind and variables), shared by the
 * diagnostics, the token count, the panel, the hovers and every command. Dropped when the document
 * changes or closes, or when a file it includes changes on disk.
 */
export class RenderCache implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Renderings made (not served from the cache), for the tests. */
  renders = 0;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidCloseTextDocument((document) => this.entries.delete(document.uri.toString())),
    );
  }

  /** The document rendered for `kind` (none: no kind's parameters are checked), `vars` over the front matter's. */
  render(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars?: Record<string, unknown>,
  ): Promise<RenderResult> {
    const uri = document.uri.toString();
    let entry = this.entries.get(uri);
    if (!entry || entry.version !== document.version) {
      entry = { version: document.version, reads: new Set(), results: new Map() };
      this.entries.set(uri, entry);
    }
    const key = `${kind ?? ''}\u0000${vars ? JSON.stringify(vars) : ''}`;
    let result = entry.results.get(key);
    if (!result) {
      const reads = entry.reads;
      const results = entry.results;
      this.renders++;
      result = renderPromptFile(document.getText(), {
        readFile: async (path: string): Promise<Uint8Array> => {
          reads.add(path);
          this.watchFiles();
          return vscode.workspace.fs.readFile(document.uri.with({ path }));
        },
        ...(document.uri.scheme !== 'untitled' && { path: document.uri.path }),
        ...(kind && { backendKind: kind }),
        ...(vars && { vars }),
      });
      results.set(key, result);
      result.catch(() => results.delete(key));
    }
    return result;
  }

  /** Included files are read from disk: once one was, any change on disk drops the renderings that read it. */
  private watchFiles(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const changed = (uri: vscode.Uri): void => {
      for (const [key, entry] of this.entries) if (entry.reads.has(uri.path)) this.entries.delete(key);
    };
    this.subscriptions.push(
      this.watcher,
      this.watcher.onDidChange(changed),
      this.watcher.onDidCreate(changed),
      this.watcher.onDidDelete(changed),
    );
  }

  dispose(): void {
    this.entries.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export const renderCache: ServiceKey<RenderCache> = { name: 'renderCache', create: () => new RenderCache() };
