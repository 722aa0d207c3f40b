import * as vscode from 'vscode';
import type { ExplainRequest } from '../../core/backend';
import { PromptLensError } from '../../core/errors';
import { planExplain, projectOntoSource } from '../../core/useCases/index';
import type { Ctx } from '../../ctx';
import { COMMAND } from '../../ids';
import { backendRegistry } from '../common/backends';
import { withCancellableProgress } from '../common/progress';
import { readPromptSource } from '../common/promptSource';
import { explainOptions } from '../common/requestOptions';
import { ChangeRecorder } from './changeRecorder';
import { heatmapService } from './heatmap';
import { confirmCost, explainWithProgress } from './run';
import { resolveTarget } from './target';

/**
 * "Prompt Lens: Explain Target": which parts of the prompt made the target likely, painted on the
 * selection, the document, or a `.prompt` file's template source. Planned once (the cost asked
 * about is the run made), run from the plan, projected once.
 */
export async function explainTarget(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new PromptLensError(
      'bad-request',
      'Open the prompt to explain in an editor (or select part of it), then run Explain Target.',
    );
  const heatmap = ctx.service(heatmapService);
  // Recording starts before the text is read, so edits made while the request runs can be replayed.
  const recorder = new ChangeRecorder(editor.document);
  try {
    const source = await readPromptSource(ctx, editor);
    if (source.text.trim() === '')
      throw new PromptLensError('bad-request', 'The prompt is empty: write or select the prompt to explain.');
    const resolved = await resolveTarget(ctx, source);
    if (resolved === undefined) return;
    const { target, prompt } = resolved;
    const { backend, model } = await ctx
      .service(backendRegistry)
      .connect(source.settings?.backend, source.settings?.model);
    const request: ExplainRequest = {
      prompt,
      target,
      ...explainOptions(),
      ...(model !== undefined && { model }),
    };
    // Planning may ask the server (capabilities, tokens): under a progress with Cancel from the start.
    const { plan } = await withCancellableProgress('Prompt Lens: preparing the explanation', (signal) =>
      planExplain(backend, { ...request, signal }),
    );
    const planned = { request, plan };
    if (!(await confirmCost(planned))) return;
    const result = await explainWithProgress(backend, planned);
    if (recorder.closed) return;
    const projection = projectOntoSource(result, source, prompt, target);
    heatmap.show({
      document: source.document,
      edits: recorder.changesSince(source.version),
      layout: projection.layout,
      target,
      complete: projection.complete,
      tokens: projection.tokens,
    });
  } finally {
    recorder.dispose();
  }
}

/** "Prompt Lens: Next Target Token". */
export async function nextTargetToken(ctx: Ctx): Promise<void> {
  ctx.service(heatmapService).step(1);
}

/** "Prompt Lens: Previous Target Token". */
export async function previousTargetToken(ctx: Ctx): Promise<void> {
  ctx.service(heatmapService).step(-1);
}

/** "Prompt Lens: Clear Explanation". */
export async function clearExplanation(ctx: Ctx): Promise<void> {
  ctx.service(heatmapService).clear();
}

/** "Prompt Lens: Explanation Actions" (a click on the explanation's status item): what can be done next. */
export async function explanationActions(ctx: Ctx): Promise<void> {
  const heatmap = ctx.service(heatmapService);
  const state = heatmap.statusState;
  if (!state) return;
  const items: (vscode.QuickPickItem & { command: string })[] = [];
  if (state.tokenCount > 0)
    items.push(
      {
        label: '$(arrow-right) Next target token',
        description: 'Alt+]',
        command: COMMAND.nextTargetToken,
      },
      {
        label: '$(arrow-left) Previous target token',
        description: 'Alt+[',
        command: COMMAND.previousTargetToken,
      },
    );
  items.push(
    {
      label: '$(refresh) Explain Target again',
      description: state.stale ? 'the prompt was edited since' : '',
      command: COMMAND.explain,
    },
    { label: '$(close) Clear Explanation', description: '', command: COMMAND.clearExplanation },
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: `Prompt Lens explanation: ${state.label}`,
    placeHolder: 'What next?',
  });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
