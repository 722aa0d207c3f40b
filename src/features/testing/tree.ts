// The Test Explorer's tree: one item per `.prompt` file with tests, one per case, one per dataset
// (its cases listed when it is expanded). Files changed on disk update the tree.
import { messageOf } from '../../core/errors';
import * as vscode from 'vscode';
import {
  loadDataset,
  parseTestSuite,
  type PromptTestSuite,
  type TestCase,
} from '../../core/promptTests/index';
import type { Ctx } from '../../ctx';
import { lastResultLabel } from './history';

const MAX_FILES = 2000;
const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

/** What the tree knows about each item, by item id. */
export type ItemData =
  | { kind: 'file'; uri: vscode.Uri; suite: PromptTestSuite }
  | { kind: 'case'; uri: vscode.Uri; testCase: TestCase }
  | { kind: 'dataset'; uri: vscode.Uri; index: number; loaded: boolean };

export class PromptTestTree implements vscode.Disposable {
  readonly data = new WeakMap<vscode.TestItem, ItemData>();
  private readonly watchers: vscode.Disposable[] = [];
  private discovered: Promise<void> | undefined;

  constructor(
    private readonly ctx: Ctx,
    readonly controller: vscode.TestController,
  ) {}

  /** Finds every `.prompt` file with tests once, and starts watching. */
  discover(): Promise<void> {
    this.discovered ??= this.scan();
    return this.discovered;
  }

  async refresh(): Promise<void> {
    this.discovered = this.scan();
    await this.discovered;
  }

  private async scan(): Promise<void> {
    if (this.watchers.length === 0) this.watch();
    const uris = await vscode.workspace.findFiles('**/*.prompt', '**/node_modules/**', MAX_FILES);
    const seen = new Set<string>();
    for (const uri of uris) {
      seen.add(uri.toString());
      await this.update(uri);
    }
    this.controller.items.forEach((item) => {
      if (!seen.has(item.id)) this.controller.items.delete(item.id);
    });
  }

  /** (Re)reads one `.prompt` file: adds, replaces or removes its item. */
  async update(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const source = await readSource(uri);
    const suite = source === undefined ? undefined : parseTestSuite(source, uri.fsPath);
    if (!suite || (suite.cases.length === 0 && suite.datasets.length === 0)) {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    const item = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    item.range = suite.testsKey
      ? new vscode.Range(suite.testsKey.line, 0, suite.testsKey.line, 6)
      : undefined;
    item.error =
      suite.problems.length > 0
        ? suite.problems.map((p) => `line ${p.position.line + 1}: ${p.message}`).join('\n')
        : undefined;
    this.data.set(item, { kind: 'file', uri, suite });
    const children: vscode.TestItem[] = suite.cases.map((c) => this.caseItem(uri, c));
    suite.datasets.forEach((entry, index) => {
      const datasetUri = vscode.Uri.joinPath(uri, '..', entry.file);
      const child = this.controller.createTestItem(
        `${uri.toString()}#dataset:${entry.file}`,
        entry.file,
        datasetUri,
      );
      child.range = new vscode.Range(
        entry.position.line,
        entry.position.column,
        entry.position.line,
        entry.position.column,
      );
      child.canResolveChildren = true;
      this.data.set(child, { kind: 'dataset', uri, index, loaded: false });
      children.push(child);
    });
    item.children.replace(children);
    this.controller.items.add(item);
    return item;
  }

  /** Lists a dataset's cases (when expanded, or before a run). */
  async resolveDataset(item: vscode.TestItem): Promise<void> {
    const data = this.data.get(item);
    const file = item.parent ? this.data.get(item.parent) : undefined;
    if (data?.kind !== 'dataset' || file?.kind !== 'file') return;
    const entry = file.suite.datasets[data.index];
    if (!entry) return;
    item.busy = true;
    try {
      const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      const cases = await loadDataset(file.uri.fsPath, entry, { roots });
      item.children.replace(cases.map((c) => this.caseItem(file.uri, c)));
      item.error = undefined;
      data.loaded = true;
    } catch (error) {
      item.children.replace([]);
      item.error = messageOf(error);
    } finally {
      item.busy = false;
    }
  }

  private caseItem(promptUri: vscode.Uri, testCase: TestCase): vscode.TestItem {
    const where = testCase.dataset ? vscode.Uri.file(testCase.location.file) : promptUri;
    const item = this.controller.createTestItem(
      `${promptUri.toString()}#${testCase.id}`,
      testCase.name,
      where,
    );
    const { line, column } = testCase.location.position;
    item.range = new vscode.Range(line, column, line, column);
    const last = lastResultLabel(this.ctx, item.id);
    if (last) item.description = last;
    this.data.set(item, { kind: 'case', uri: promptUri, testCase });
    return item;
  }

  private watch(): void {
    const prompts = vscode.workspace.createFileSystemWatcher('**/*.prompt');
    const onPrompt = (uri: vscode.Uri) =>
      void this.update(uri).catch((e: unknown) => this.ctx.log.warn(`tests: ${String(e)}`));
    prompts.onDidCreate(onPrompt);
    prompts.onDidChange(onPrompt);
    prompts.onDidDelete((uri) => this.controller.items.delete(uri.toString()));
    const datasets = vscode.workspace.createFileSystemWatcher('**/*.{jsonl,csv}');
    const onDataset = (uri: vscode.Uri) => {
      this.controller.items.forEach((file) =>
        file.children.forEach((child) => {
          const data = this.data.get(child);
          if (data?.kind === 'dataset' && data.loaded && child.uri?.toString() === uri.toString())
            void this.resolveDataset(child);
        }),
      );
    };
    datasets.onDidCreate(onDataset);
    datasets.onDidChange(onDataset);
    datasets.onDidDelete(onDataset);
    this.watchers.push(prompts, datasets);
  }

  dispose(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}

async function readSource(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SOURCE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
