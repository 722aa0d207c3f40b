import * as vscode from 'vscode';
import { promptText } from '../../core/backend';
import { describeScoringCost } from '../../core/scoringCost';
import { PromptLensError } from '../../core/errors';
import { targetFromSettings, targetPrefill, type FileTargets } from '../../core/useCases/index';
import type { Ctx } from '../../ctx';
import { backendRegistry } from '../common/backends';
import { evaluationSummary } from '../../core/completion/evaluationReport';
import { evaluationStore } from './evaluationStore';
import { fileNameOf, readPromptSource, type PromptSource } from '../common/promptSource';
import { withCancellableProgress } from '../common/progress';

/**
 * "Prompt Lens: Evaluate Expected Completion": how likely the model finds a given completion after the
 * prompt. `expected` comes from the `.prompt` front matter, else from an input box.
 */
export async function evaluate(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new PromptLensError(
      'bad-request',
      'Open a document first: Evaluate scores a completion of the selection, or of the whole document.',
    );
  const store = ctx.service(evaluationStore);
  const source = await readPromptSource(ctx, editor);
  const expected =
    targetFromSettings('evaluate', source.settings) ??
    (await askExpected(expectedPrefill(ctx, source.document.uri, source.settings)));
  if (expected === undefined) return;
  const registry = ctx.service(backendRegistry);
  const { profile, backend, model } = await registry.connect(
    source.settings?.backend,
    source.settings?.model,
  );
  const result = await withCancellableProgress(`Prompt Lens: evaluating with ${profile.name}`, (signal) =>
    backend.evaluate({ prompt: source.prompt, expected, signal, ...(model !== undefined && { model }) }),
  );
  store.set({
    result,
    meta: {
      expected,
      prompt: promptText(source.prompt),
      profile: profile.name,
      source: describe(source),
      ...(model !== undefined && { model }),
    },
    document: source.document.uri,
  });
  const cost = describeScoringCost(result.cost);
  const summary = `${evaluationSummary(result)}${cost ? ` (${cost})` : ''}`;
  ctx.log.info(`evaluate: ${summary}`);
  // The result stays: the details open beside the prompt (updated in place by the next evaluation),
  // rather than in a notification that fades after a few seconds.
  vscode.window.setStatusBarMessage(`$(pass) Prompt Lens: ${summary}`, 10_000);
  await store.showBeside();
}

/** What the Evaluate input box starts with: the document's `expected:`, else what was last evaluated in it. */
export function expectedPrefill(ctx: Ctx, document: vscode.Uri, settings: FileTargets | undefined): string {
  return targetPrefill(
    'evaluate',
    settings,
    ctx.service(evaluationStore).lastExpected.get(document.toString()),
  );
}

async function askExpected(last: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Prompt Lens: Evaluate Expected Completion',
    prompt: 'The completion to score after the prompt (mind a leading space)',
    value: last,
    ignoreFocusOut: true,
    validateInput: (text) => (text.length === 0 ? 'Enter the completion to evaluate' : undefined),
  });
  return value === undefined || value.length === 0 ? undefined : value;
}

function describe(source: PromptSource): string {
  const name = fileNameOf(source.document);
  return source.kind === 'selection'
    ? `the selection in ${name}`
    : source.kind === 'template'
      ? `the rendered ${name}`
      : name;
}
