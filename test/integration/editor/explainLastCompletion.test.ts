import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Ctx } from '../../../src/ctx';
import type { HeatmapController } from '../../../src/features/explain/heatmap';
import { startLlamaCppServer, type LlamaCppServerHandle } from '../../fixtures/llamaCpp/index';
import { closeAllEditors, extensionCtx, openUntitled, stubWindow, useProfile, waitFor } from '../helpers';

const PROMPT = 'The cat sat on the mat because';

describe('editor: Explain Target on the last completion', () => {
  let server: LlamaCppServerHandle;
  let ctx: Ctx;
  let restore: () => Promise<void>;
  const restoreWindow: (() => void)[] = [];

  const heatmap = (): HeatmapController =>
    ctx.service<HeatmapController>({
      name: 'explain.heatmap',
      create: () => {
        throw new Error('the heat map service does not exist yet');
      },
    });

  before(async () => {
    server = await startLlamaCppServer({ slots: 1 });
    ctx = await extensionCtx();
    restore = await useProfile(
      { name: 'last completion test', kind: 'llama-cpp', url: server.url },
      { 'completion.maxTokens': 6, 'explain.granularity': 'word', 'explain.costThreshold': 100 },
    );
  });

  after(async () => {
    while (restoreWindow.length) restoreWindow.pop()?.();
    await vscode.commands.executeCommand('promptLens.clearExplanation');
    await closeAllEditors();
    await restore();
    await server.close();
  });

  it('explains the completion just inserted, against the text before it, without asking for a target', async () => {
    const editor = await openUntitled(PROMPT);
    await vscode.commands.executeCommand('promptLens.complete');
    await waitFor(() => editor.document.getText().length > PROMPT.length, 'the completion to be inserted');
    const completion = editor.document.getText().slice(PROMPT.length);
    let asked = false;
    restoreWindow.push(
      stubWindow('showInputBox', async () => {
        asked = true;
        return undefined;
      }),
    );
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('promptLens.explain');
    const snapshot = heatmap().snapshot();
    assert.equal(asked, false, 'the target came from the last completion, not an input box');
    assert.ok(snapshot, 'a heat map is shown');
    // Every scored span lies in the prompt before the completion, and the target sent was the completion.
    assert.ok(snapshot.spans.length > 0);
    for (const span of snapshot.spans)
      assert.ok(
        span.end <= PROMPT.length,
        `span "${span.text}" (${span.start}-${span.end}) is inside the prompt; completion ${JSON.stringify(completion)}, spans ${JSON.stringify(snapshot.spans.map((s) => s.text))}`,
      );
    const scoring = server.requests.filter((r) => r.path === '/tokenize').map((r) => JSON.stringify(r.body));
    assert.ok(
      scoring.some((body) => body.includes(JSON.stringify(`${PROMPT}${completion}`).slice(1, -1))),
      'prompt + completion was tokenized for scoring',
    );
  });
});
