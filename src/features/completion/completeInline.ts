import * as vscode from 'vscode';
import { PromptLensError } from '../../core/errors';
import type { Ctx } from '../../ctx';
import { inlineCompletions } from './inlineCompletions';

/** "Prompt Lens: Complete Inline": streams a completion into ghost text at the cursor. */
export async function completeInline(ctx: Ctx): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor)
    throw new PromptLensError(
      'bad-request',
      'Open a document first: Complete Inline shows a completion as ghost text at the cursor.',
    );
  // Ghost text belongs at a cursor: with a selection, Tab would replace the selection (VS Code's
  // indent) instead of accepting. Collapse to the selection's end, where the completion continues.
  if (editor.selections.some((s) => !s.isEmpty))
    editor.selections = editor.selections.map((s) => new vscode.Selection(s.end, s.end));
  ctx.service(inlineCompletions);
  const run = ctx.runs.current ?? { ignoreFileBackend: false };
  // Resolves once VS Code has asked the providers (which take the request first thing).
  const trigger = () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  if (await ctx.inlineRequest.during(run, trigger)) return;
  // Not asked: VS Code answered from the result it keeps for this position and document version
  // (empty after a failure, so Retry and "Run with the active profile" did nothing). That result is
  // only reused for the same set of providers: with one more registered for a moment, it asks again.
  const nudge = vscode.languages.registerInlineCompletionItemProvider(
    { pattern: '**' },
    { provideInlineCompletionItems: () => undefined },
  );
  try {
    if (!(await ctx.inlineRequest.during(run, trigger)))
      ctx.log.warn('Complete Inline: VS Code did not ask for an inline completion');
  } finally {
    nudge.dispose();
  }
}

export async function provideInlineCompletions(
  ctx: Ctx,
  document: vscode.TextDocument,
  position: vscode.Position,
  context: vscode.InlineCompletionContext,
  token: vscode.CancellationToken,
): Promise<vscode.InlineCompletionList | undefined> {
  return ctx.service(inlineCompletions).provide(document, position, context, token);
}
