import * as vscode from 'vscode';
import { tokenHoverMarkdown } from '../../core/completion/tokenMarkdown';
import type { GeneratedTokens } from './generatedTokens';

/** Hover over a generated token: its log-probability, probability, rank and top alternatives. */
export function registerTokenHover(memory: GeneratedTokens): vscode.Disposable {
  return vscode.languages.registerHoverProvider('*', {
    provideHover(document, position) {
      const piece = memory.tokenAt(document.uri, document.offsetAt(position));
      if (!piece?.token) return undefined;
      const range = new vscode.Range(document.positionAt(piece.start), document.positionAt(piece.end));
      return new vscode.Hover(new vscode.MarkdownString(tokenHoverMarkdown(piece.token)), range);
    },
  });
}
