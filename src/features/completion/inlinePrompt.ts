import type * as vscode from 'vscode';
import type { Prompt } from '../../core/backend';
import type { PromptFileSettings } from '../../core/promptFile/index';
import { promptBefore, renderedCut } from '../../core/useCases/index';
import { PromptLensError } from '../../core/errors';
import { isPromptFile, renderTemplate } from '../common/promptSource';
import type { Ctx } from '../../ctx';

export interface InlinePrompt {
  prompt: Prompt;
  settings?: PromptFileSettings;
}

/**
 * The prompt for ghost text at `position`: the text before the cursor. In a `.prompt` file, the
 * rendered template up to where the cursor's text rendered (variables filled in), so a completion
 * at the end of the body continues the real prompt; nothing in the front matter.
 */
export async function inlinePrompt(
  ctx: Ctx,
  document: vscode.TextDocument,
  position: vscode.Position,
): Promise<InlinePrompt | undefined> {
  const offset = document.offsetAt(position);
  if (!isPromptFile(document)) return { prompt: document.getText().slice(0, offset) };
  const render = await renderTemplate(ctx, document);
  if (offset < render.bodyStart) return undefined;
  const error = render.diagnostics.find((d) => d.severity === 'error');
  if (error)
    throw new PromptLensError(
      'template',
      `The prompt file has an error at line ${error.line + 1}: ${error.message}`,
    );
  return { prompt: promptBefore(render, renderedCut(render, offset)), settings: render.settings };
}
