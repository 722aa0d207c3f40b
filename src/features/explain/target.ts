import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { isPromptFile, renderTemplate, type PromptSource } from '../promptSource';

/**
 * The target to explain: the `.prompt` file's `target`, else the last completion (where a completion
 * service keeps one), else what the user types (prefilled with the last target). Undefined: dismissed.
 */
export async function resolveTarget(
  ctx: Ctx,
  source: PromptSource,
  lastTarget: string | undefined,
): Promise<string | undefined> {
  const fromFile = source.settings?.target ?? (await frontMatterTarget(ctx, source));
  if (fromFile) return fromFile;
  const typed = await vscode.window.showInputBox({
    title: 'Prompt Lens: Explain Target',
    prompt: 'The text whose production by the prompt to explain',
    placeHolder: 'e.g. " Paris"',
    value: lastTarget ?? '',
    ignoreFocusOut: true,
    validateInput: (value) => (value === '' ? 'Enter the target text.' : undefined),
  });
  return typed === undefined || typed === '' ? undefined : typed;
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
