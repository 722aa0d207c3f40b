import type * as vscode from 'vscode';
import type { Ctx } from '../ctx';

/** "Prompt Lens: Complete Inline": streams a completion into ghost text at the cursor. */
export async function completeInline(_ctx: Ctx): Promise<void> {
  throw new Error('not implemented yet');
}

export async function provideInlineCompletions(
  _ctx: Ctx,
  _document: vscode.TextDocument,
  _position: vscode.Position,
  _context: vscode.InlineCompletionContext,
  _token: vscode.CancellationToken,
): Promise<vscode.InlineCompletionList | undefined> {
  return undefined;
}
