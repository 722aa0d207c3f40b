import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import type { Prompt } from '../../core/backend';
import { generatedTokens } from '../generatedTokens';
import { isPromptFile, renderTemplate, type PromptSource } from '../promptSource';

export interface ExplainTarget {
  target: string;
  /** The prompt to explain it against (the last completion is explained given the text before it). */
  prompt: Prompt;
}

/**
 * The target to explain: the `.prompt` file's `target`, else the last completion (where a completion
 * service keeps one), else what the user types (prefilled with the last target). Undefined: dismissed.
 */
export async function resolveTarget(
  ctx: Ctx,
  source: PromptSource,
  lastTarget: string | undefined,
): Promise<ExplainTarget | undefined> {
  const fromFile = source.settings?.target ?? (await frontMatterTarget(ctx, source));
  if (fromFile) return { target: fromFile, prompt: source.prompt };
  const completion = lastCompletionAtEnd(ctx, source);
  if (completion) return completion;
  const typed = await vscode.window.showInputBox({
    title: 'Prompt Lens: Explain Target',
    prompt: 'The text whose production by the prompt to explain',
    placeHolder: 'e.g. " Paris"',
    value: lastTarget ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? 'Enter the target text.' : undefined),
  });
  return typed === undefined || typed === '' ? undefined : { target: typed, prompt: source.prompt };
}

/**
 * The last completion made in this document, when the prompt read now ends with it (it was inserted
 * after the prompt): explained against the text before it, as it was produced.
 */
function lastCompletionAtEnd(ctx: Ctx, source: PromptSource): ExplainTarget | undefined {
  if (source.kind === 'template' || typeof source.prompt !== 'string') return undefined;
  const completion = ctx.service(generatedTokens).lastCompletion(source.document.uri);
  if (!completion || !source.text.endsWith(completion) || source.text.length === completion.length)
    return undefined;
  return { target: completion, prompt: source.text.slice(0, source.text.length - completion.length) };
}

/** A selection in a `.prompt` file still takes the file's `target`. */
async function frontMatterTarget(ctx: Ctx, source: PromptSource): Promise<string | undefined> {
  if (source.kind !== 'selection' || !isPromptFile(source.document)) return undefined;
  try {
    return (await renderTemplate(ctx, source.document)).settings.target;
  } catch {
    return undefined;
  }
}
