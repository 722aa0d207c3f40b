// Entry points of the Test Explorer integration in the feature bundle (see register.ts).
import * as vscode from 'vscode';
import type { Ctx, ServiceKey } from '../../ctx';
import type { PromptTestsHandle } from './register';
import { runRequest } from './run';
import { PromptTestTree } from './tree';

/** One tree per controller (there is one controller), owned by the context. */
class PromptTestTrees implements vscode.Disposable {
  private readonly trees = new Map<vscode.TestController, PromptTestTree>();
  constructor(private readonly ctx: Ctx) {}
  of(controller: vscode.TestController): PromptTestTree {
    let tree = this.trees.get(controller);
    if (!tree) {
      tree = new PromptTestTree(this.ctx, controller);
      this.trees.set(controller, tree);
    }
    return tree;
  }
  dispose(): void {
    for (const tree of this.trees.values()) tree.dispose();
    this.trees.clear();
  }
}

const trees: ServiceKey<PromptTestTrees> = {
  name: 'promptTestTrees',
  create: (ctx) => new PromptTestTrees(ctx),
};

export async function resolvePromptTests(
  ctx: Ctx,
  controller: vscode.TestController,
  item: vscode.TestItem | undefined,
): Promise<void> {
  const tree = ctx.service(trees).of(controller);
  if (!item) await tree.discover();
  else await tree.resolveDataset(item);
}

export async function refreshPromptTests(
  ctx: Ctx,
  controller: vscode.TestController,
  _token: vscode.CancellationToken,
): Promise<void> {
  await ctx.service(trees).of(controller).refresh();
}

export function runPromptTestRequest(
  ctx: Ctx,
  controller: vscode.TestController,
  request: vscode.TestRunRequest,
  token: vscode.CancellationToken,
  explain: boolean,
): Promise<void> {
  return runRequest(ctx, ctx.service(trees).of(controller), request, token, explain);
}

/** "Run tests" (CodeLens, command): the file's item, through the default Run profile so the Test Explorer shows it. */
export async function runPromptTestsOfFile(
  ctx: Ctx,
  handle: PromptTestsHandle,
  uri: vscode.Uri,
): Promise<void> {
  const tree = ctx.service(trees).of(handle.controller);
  await tree.discover();
  const item = (await tree.update(uri)) ?? handle.controller.items.get(uri.toString());
  if (!item) {
    void vscode.window.showInformationMessage('This file has no `tests:` in its front matter.');
    return;
  }
  const source = new vscode.CancellationTokenSource();
  try {
    await runRequest(
      ctx,
      tree,
      new vscode.TestRunRequest([item], undefined, handle.run),
      source.token,
      false,
    );
  } finally {
    source.dispose();
  }
}

/** "Run tests" above the `tests:` key of a `.prompt` file. */
export function registerTestsCodeLens(ctx: Ctx): void {
  ctx.own(
    vscode.languages.registerCodeLensProvider(
      { language: 'liquid-prompt' },
      {
        provideCodeLenses(document) {
          const match = /^tests[ \t]*:/m.exec(frontMatterOf(document.getText()));
          if (!match) return [];
          const position = document.positionAt(match.index);
          return [
            new vscode.CodeLens(new vscode.Range(position, position), {
              title: '$(beaker) Run tests',
              command: 'promptLens.runTests',
              arguments: [document.uri],
              tooltip: "Run this file's test cases (results in the Test Explorer)",
            }),
          ];
        },
      },
    ),
  );
}

function frontMatterOf(text: string): string {
  const end = /^---[ \t]*\r?\n[\s\S]*?^(?:---|\.\.\.)[ \t]*$/m.exec(text);
  return end && end.index === 0 ? end[0] : '';
}
