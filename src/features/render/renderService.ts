// The one way the editor renders a `.prompt` document: in a worker thread (never on the extension
// host's event loop), under one deadline, each file read through the file policy of the document's
// workspace folder, nothing read in an untrusted workspace. Renders of one document version are
// shared (diagnostics, token count, hover and panel ask for the same one); a newer version
// cancels the renders of older ones.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendKind } from '../../core/backend';
import { FilePolicy, type TemplateFiles } from '../../core/files/policy';
import type { RenderResult } from '../../core/promptFile/index';
import { WorkerRenderer } from '../../core/render/workerRenderer';
import { config } from '../../config';
import type { Ctx, ServiceKey } from '../../ctx';
import { fileReaderFor } from './fileReaders';
import { nodeFileReader } from '../../core/files/nodeReader';

interface VersionRenders {
  version: number;
  controller: AbortController;
  renders: Map<string, Promise<RenderResult>>;
}

export class RenderService implements vscode.Disposable {
  private readonly renderer: WorkerRenderer;
  private readonly documents = new Map<string, VersionRenders>();
  private readonly subscriptions: vscode.Disposable[];
  /** Whether files may be read; the workspace's trust, replaceable by tests. */
  trusted: () => boolean = () => vscode.workspace.isTrusted;

  constructor(ctx: Ctx) {
    this.renderer = new WorkerRenderer(path.join(ctx.extension.extensionPath, 'dist', 'renderWorker.js'));
    this.renderer.warmUp();
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri.toString())),
      // What was refused before may be read now.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.forgetAll()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('promptLens.files')) this.forgetAll();
      }),
    ];
  }

  /** Renders `text` (default: the document's current text) of `document` for a backend kind. */
  render(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars?: Record<string, unknown>,
    text?: string,
  ): Promise<RenderResult> {
    const key = document.uri.toString();
    const version = document.version;
    let current = this.documents.get(key);
    if (current && current.version > version) return this.start(document, kind, vars, text);
    if (!current || current.version !== version) {
      current?.controller.abort();
      current = { version, controller: new AbortController(), renders: new Map() };
      this.documents.set(key, current);
    }
    const renders = current.renders;
    const renderKey = JSON.stringify([kind ?? null, vars ?? null]);
    const cached = renders.get(renderKey);
    if (cached) return cached;
    const started = this.start(document, kind, vars, text, current.controller.signal);
    renders.set(renderKey, started);
    started.catch(() => renders.delete(renderKey));
    return started;
  }

  private start(
    document: vscode.TextDocument,
    kind: BackendKind | undefined,
    vars: Record<string, unknown> | undefined,
    text = document.getText(),
    signal?: AbortSignal,
  ): Promise<RenderResult> {
    return this.renderer.render({
      source: text,
      options: {
        posixPaths: true,
        ...(document.uri.scheme !== 'untitled' && { path: document.uri.path }),
        ...(kind && { backendKind: kind }),
        ...(vars && { vars }),
      },
      files: this.filesFor(document.uri),
      ...(signal && { signal }),
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

  /** Drops every kept render (trust or limits changed). */
  forgetAll(): void {
    for (const key of [...this.documents.keys()]) this.forget(key);
  }

  private forget(key: string): void {
    this.documents.get(key)?.controller.abort();
    this.documents.delete(key);
  }

  dispose(): void {
    this.forgetAll();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.renderer.dispose();
  }
}

export const renderService: ServiceKey<RenderService> = {
  name: 'renderService',
  create: (ctx) => new RenderService(ctx),
};
