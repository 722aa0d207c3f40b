import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import type { Prompt } from '../../core/backend';
import {
  lastCompletionTarget,
  targetFromSettings,
  targetPrefill,
  type FileTargets,
} from '../../core/useCases/index';
import { heatmapService } from './heatmap';
import { lastCompletionIn } from '../completion/index';
import { isPromptFile, renderTemplate, type PromptSource } from '../common/promptSource';

export interface ExplainTarget {
  target: string;
  /** The prompt to explain it against (the last completion is explained given the text before it). */
  prompt: Prompt;
}

/**
 * The target to explain: the `.prompt` file's (`target`, else `expected`), else the last completion
 * (where a completion service keeps one), else what the user types (prefilled from this document only).
 * Undefined: dismissed.
 */
export async function resolveTarget(ctx: Ctx, source: PromptSource): Promise<ExplainTarget | undefined> {
  const settings = source.settings ?? (await selectionFileSettings(ctx, source));
  const fromFile = targetFromSettings('explain', settings);
  if (fromFile) return { target: fromFile, prompt: source.prompt };
  if (source.kind !== 'template' && typeof source.prompt === 'string') {
    const completion = lastCompletionTarget(source.text, lastCompletionIn(ctx, source.document.uri));
    if (completion) return completion;
  }
  const typed = await vscode.window.showInputBox({
    title: 'Prompt Lens: Explain Target',
    prompt: 'The text whose production by the prompt to explain',
    placeHolder: 'e.g. " Paris"',
    value: explainTargetPrefill(ctx, source.document.uri, settings),
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? 'Enter the target text.' : undefined),
  });
  return typed === undefined || typed === '' ? undefined : { target: typed, prompt: source.prompt };
}

/**
 * What the Explain Target input box starts with: the document's own target (`target:`, else
 * `expected:`), else the target last explained in that same document; never another document's.
 */
export function explainTargetPrefill(
  ctx: Ctx,
  document: vscode.Uri,
  settings: FileTargets | undefined,
): string {
  return targetPrefill('explain', settings, ctx.service(heatmapService).lastTargets.get(document.toString()));
}

/** A selection in a `.prompt` file still takes the file's target. */
async function selectionFileSettings(ctx: Ctx, source: PromptSource) {
  if (source.kind !== 'selection' || !isPromptFile(source.document)) return undefined;
  try {
    return (await renderTemplate(ctx, source.document)).settings;
  } catch {
    return undefined;
  }
}
