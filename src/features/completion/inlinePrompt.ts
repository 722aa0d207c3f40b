import type * as vscode from 'vscode';
import type { Prompt, PromptItem } from '../../core/backend';
import { sourceToRendered, type PromptFileSettings, type RenderResult } from '../../core/promptFile/index';
import { PromptLensError } from '../../core/errors';
import { isPromptFile, renderTemplate } from '../shared/promptSource';
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
export async function inlinePrompt(ctx: Ctx, document: vscode.TextDocument, position: vscode.Position): Promise<InlinePrompt | undefined> {
  const offset = document.offsetAt(position);
  if (!isPromptFile(document)) return { prompt: document.getText().slice(0, offset) };
  const render = await renderTemplate(ctx, document);
  if (offset < render.bodyStart) return undefined;
  const error = render.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new PromptLensError('template', `The prompt file has an error at line ${error.line + 1}: ${error.message}`);
  return { prompt: promptBefore(render, renderedCut(render, offset)), settings: render.settings };
}

/** Where the source offset falls in the rendered text (its last rendering, inside a loop). */
export function renderedCut(render: RenderResult, sourceOffset: number): number {
  const spans = sourceToRendered(render.map, sourceOffset);
  const last = spans[spans.length - 1];
  if (last) return last.start;
  // Past every mapped character: everything rendered before the cursor.
  const before = render.map.filter((e) => e.sourceStart + e.sourceLength <= sourceOffset);
  return before.reduce((end, e) => Math.max(end, e.renderedStart + e.renderedLength), 0);
}

/** The rendered prompt cut at `cut` (an offset in `render.text`); non-text items before it stay. */
export function promptBefore(render: RenderResult, cut: number): Prompt {
  if (typeof render.prompt === 'string') return render.text.slice(0, cut);
  const items: PromptItem[] = [];
  render.items.forEach((item, i) => {
    const start = render.itemStarts[i] ?? 0;
    if (item.type === 'text') {
      if (start >= cut) return;
      const length = cut - start;
      const controls = item.controls?.filter((c) => c.start + c.length <= length);
      items.push({ type: 'text', text: item.text.slice(0, length), ...(controls && controls.length > 0 && { controls }) });
    } else if (start <= cut) items.push(item);
  });
  const onlyText = items.every((item) => item.type === 'text');
  return onlyText ? items.map((item) => (item.type === 'text' ? item.text : '')).join('') : items;
}
