// The one way the editor renders a `.prompt` document: in a worker thread (never on the extension
// host's event loop), under one deadline, each file read through the file policy of the document's
// workspace folder, nothing read in an untrusted workspace. One rendering per document version (and
// backend kind and variables), shared by the diagnostics, the token count, the panel, the hovers and
// every command; a newer version cancels the renderings of older ones.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendKind } from '../../core/backend';
import { FilePolicy, type TemplateFiles } from '../../core/files/policy';
import { nodeFileReader } from '../../core/files/nodeReader';
import type { RenderResult } from '../../core/promptFile/index';
import { failedRender, RenderCancelledError, WorkerRenderer } from '../../core/render/workerRenderer';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { fileReaderFor } from './fileReaders';

/** Why an entry's renderings were cancelled: only a drop (the text unchanged) is rendered again. */
const DROPPED = 'dropped';
/** A file that changes faster than a rendering takes (a log being written) ends here, as an error. */
const MAX_RESTARTS = 3;

interface Entry {
  version: number;
  /** Cancels this version's renderings once a newer version is rendered, the document closes or the entry is dropped. */
  controller: AbortController;
  /** Paths the renderings read (includes, images): a change to one of them drops the entry. */
  reads: Set<string>;
  results: Map<string, Promise<RenderResult>>;
}

export class RenderCache implements vscode.Disposable {
  private readonly renderer: WorkerRenderer;
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Renderings made (not served from the cache), for the tests. */
  renders = 0;
  private readonly dropped = new vscode.EventEmitter<string>();
  /**
   * The renderings of an open document (its URI) were dropped while its text stayed the same: a file
   * it read changed, or trust or the file limits did. What shows a rendering renders it again.
   */
  readonly onDidDrop = this.dropped.event;
  /** Whether files may be read; the workspace's trust, replaceable by tests. */
  trusted: () => boolean = () => vscode.workspace.isTrusted;

  constructor(ctx: Ctx) {
    // Its worker starts with the first rendering, not here: the cache is cheap to create, so what
    // follows its drops (the panel, the token count) may subscribe before any `.prompt` file is seen.
    this.renderer = new WorkerRenderer(path.join(ctx.extension.extensionPath, 'dist', 'renderWorker.js'));
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri.toString())),
      // What was refused before may be read now.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.forgetAll()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('promptLens.files')) this.forgetAll();
      }),
    ];
  }

  /**
   * The document rendered for `kind` (none: no kind's parameters are checked), `vars` over the
   * front matter's. Rejects with `RenderCancelledError` once a newer version supersedes this one;
   * a rendering dropped while the text stayed the same (a file it read changed) is made again.
   */
  render(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars?: Record<string, unknown>,
  ): Promise<RenderResult> {
    return this.renderAttempt(document, kind, vars, 0);
  }

  private renderAttempt(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars: Record<string, unknown> | undefined,
    restarts: number,
  ): Promise<RenderResult> {
    const uri = document.uri.toString();
    const version = document.version;
    let entry = this.entries.get(uri);
    if (!entry || entry.version !== version) {
      entry?.controller.abort();
      entry = { version, controller: new AbortController(), reads: new Set(), results: new Map() };
      this.entries.set(uri, entry);
    }
    const key = `${kind ?? ''}\u0000${vars ? JSON.stringify(vars) : ''}`;
    let result = entry.results.get(key);
    if (!result) {
      const { reads, results, controller } = entry;
      this.renders++;
      result = this.start(document, kind, vars, reads, controller.signal).catch((error: unknown) => {
        const dropped =
          error instanceof RenderCancelledError &&
          controller.signal.reason === DROPPED &&
          document.version === version &&
          !document.isClosed;
        if (!dropped) throw error;
        if (restarts >= MAX_RESTARTS) {
          return failedRender(
            `Rendering was restarted ${MAX_RESTARTS} times because files it reads kept changing on disk. Try again once they settle.`,
          );
        }
        return this.renderAttempt(document, kind, vars, restarts + 1);
      });
      results.set(key, result);
      result.catch(() => results.delete(key));
    }
    return result;
  }

  private start(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars: Record<string, unknown> | undefined,
    reads: Set<string>,
    signal: AbortSignal,
  ): Promise<RenderResult> {
    const policy = this.filesFor(document.uri);
    const files: TemplateFiles = {
      read: (fileKind, file, fromDir) => {
        reads.add(path.posix.resolve(fromDir, file));
        this.watchFiles();
        return policy.read(fileKind, file, fromDir);
      },
    };
    return this.renderer.render({
      source: document.getText(),
      options: {
        posixPaths: true,
        ...(document.uri.scheme !== 'untitled' && { path: document.uri.path }),
        ...(kind && { backendKind: kind }),
        ...(vars && { vars }),
      },
      files,
      signal,
    });
  }

  /**
   * The file policy of a document: its workspace folder (else its own folder), trust, caps. Paths
   * are the URI's (`posix`), or, for a `file:` document rendered by its file name, `native`.
   */
  filesFor(uri: vscode.Uri, paths: 'posix' | 'native' = 'posix'): TemplateFiles {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const native = paths === 'native' && uri.scheme === 'file';
    const folderPath = native ? folder?.uri.fsPath : folder?.uri.path;
    const ownFolder = native ? path.dirname(uri.fsPath) : path.posix.dirname(uri.path);
    return new FilePolicy({
      root: uri.scheme === 'untitled' ? undefined : (folderPath ?? ownFolder),
      trusted: this.trusted(),
      limits: config.fileLimits(),
      reader: native ? nodeFileReader : fileReaderFor(uri),
      paths: native ? 'native' : 'posix',
      rootName: folder ? 'the workspace folder' : "the prompt file's folder",
      limitHints: {
        image: 'the setting promptLens.files.maxImageBytes',
        include: 'the setting promptLens.files.maxIncludeBytes',
      },
    });
  }

  /** Included files are read from disk: once one was, any change on disk drops the renderings that read it. */
  private watchFiles(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const changed = (uri: vscode.Uri): void => {
      for (const [key, entry] of this.entries) if (entry.reads.has(uri.path)) this.drop(key);
    };
    this.subscriptions.push(
      this.watcher,
      this.watcher.onDidChange(changed),
      this.watcher.onDidCreate(changed),
      this.watcher.onDidDelete(changed),
    );
  }

  /** Drops every kept rendering (trust or limits changed). */
  forgetAll(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private drop(key: string): void {
    this.forget(key, DROPPED);
    this.dropped.fire(key);
  }

  private forget(key: string, reason?: string): void {
    this.entries.get(key)?.controller.abort(reason);
    this.entries.delete(key);
  }

  dispose(): void {
    this.dropped.dispose();
    for (const key of [...this.entries.keys()]) this.forget(key);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.renderer.dispose();
  }
}

export const renderCache: ServiceKey<RenderCache> = {
  name: 'renderCache',
  create: (ctx) => new RenderCache(ctx),
};
