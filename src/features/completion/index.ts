// Completion: Complete (into the document, or beside a template), Complete Inline (ghost text), and
// the memory of generated tokens with its hover and decorations.
import type * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { generatedTokens } from './generatedTokens';

export { complete } from './complete';
export { completeInline, provideInlineCompletions } from './completeInline';
export { CompletionChoices } from './choices';

/** The last completion inserted or accepted in a document, if it is still there. */
export function lastCompletionIn(ctx: Ctx, uri: vscode.Uri): string | undefined {
  return ctx.service(generatedTokens).lastCompletion(uri);
}
