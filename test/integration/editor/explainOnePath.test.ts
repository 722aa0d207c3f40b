// One path per use case, counted at the server: an Explain in the editor plans once (the plan whose
// cost it asks about is the run it makes), and a `.prompt` file is rendered once per version for
// every consumer.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import { startOpenAiServer, type OpenAiTestServer } from '../../fixtures/openai/server';
import { closeAllEditors, extensionCtx, openUntitled, stubWindow, useProfile } from '../helpers';

const PROMPT = 'The sea otter holds hands with another otter while it sleeps, so';
const TARGET = ' they do not drift apart';

describe('editor: one path per use case', () => {
  let server: OpenAiTestServer;
  let ctx: Ctx;
  let restore: () => Promise<void>;
  const restoreWindow: (() => void)[] = [];

  before(async () => {
    ctx = await extensionCtx();
    server = await startOpenAiServer({ echo: 'vllm' });
    restore = await useProfile(
      { name: 'one path (openai)', kind: 'openai', url: server.url },
      { 'explain.granularity': 'auto', 'explain.costThreshold': 1, 'tokenCount.enabled': false },
    );
  });

  afterEach(async () => {
    restoreWindow.splice(0).forEach((undo) => undo());
    await vscode.commands.executeCommand('promptLens.clearExplanation');
    await closeAllEditors();
  });

  after(async () => {
    await restore();
    await server.close();
  });

  const count = (path: string) => server.requests.filter((r) => r.path.split('?')[0] === path).length;

  it('one Explain makes exactly one capability probe and one plan of tokenize calls, and runs the calls it asked about', async () => {
    await openUntitled(PROMPT);
    const asked: string[] = [];
    restoreWindow.push(stubWindow('showInputBox', () => Promise.resolve(TARGET)));
    restoreWindow.push(
      stubWindow('showWarningMessage', (...args: never[]) => {
        asked.push(String(args[0]));
        return Promise.resolve('Run');
      }),
    );
    server.requests.length = 0;
    await vscode.commands.executeCommand('promptLens.explain');
    assert.equal(count('/v1/models'), 1, 'one capability probe');
    assert.equal(count('/tokenize'), 1, 'one tokenization of the one text item, for the plan');
    const calls = count('/v1/completions');
    assert.deepEqual(asked, [`Run ${calls} scoring calls?`], 'the cost asked about is the cost paid');
    const shown = ctx
      .service<{ snapshot(): { spans: unknown[] } | undefined }>({
        name: 'explain.heatmap',
        create: () => {
          throw new Error('the heat map service does not exist yet');
        },
      })
      .snapshot();
    assert.ok(shown && shown.spans.length > 0, 'the explanation is painted');
  });

  it('renders a .prompt file once per version for the diagnostics, the variable hover and a command', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'hello.prompt'));
    await vscode.window.showTextDocument(document);
    const cache = ctx.service<{ renders: number }>({
      name: 'renderCache',
      create: () => {
        throw new Error('the render cache does not exist yet');
      },
    });
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(document.getText().length), ' ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const before = cache.renders;
    const outputTag = document.getText().indexOf('{{');
    assert.ok(outputTag >= 0, 'hello.prompt has an output tag');
    // Diagnostics (after their debounce), two hovers and Show Tokens all want the same rendering.
    await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      document.uri,
      document.positionAt(outputTag + 3),
    );
    await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      document.uri,
      document.positionAt(outputTag + 3),
    );
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(cache.renders - before, 1, 'one rendering of this version, shared');
  });
});
