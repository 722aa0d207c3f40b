import * as vscode from 'vscode';
import type { InlineRun } from './inlineRun';

/**
 * One inline suggestion per completion of the run, in index order: with `n` > 1 each completion is
 * its own suggestion, which the user cycles through with VS Code's "Show Next/Previous Inline
 * Suggestion" (Alt+] / Alt+[), never a mix of them. Accepting one runs `acceptCommand` with the run,
 * the completion's index and the length accepted, so its tokens can be remembered.
 */
export function inlineItems(
  run: InlineRun,
  position: vscode.Position,
  acceptCommand: string,
): vscode.InlineCompletionItem[] {
  return run.choices.withText().map((choice) => {
    const text = choice.placer.completionText;
    return new vscode.InlineCompletionItem(text, new vscode.Range(position, position), {
      title: 'Remember the accepted completion',
      command: acceptCommand,
      arguments: [run.id, choice.index, text.length],
    });
  });
}
