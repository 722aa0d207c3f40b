import * as vscode from 'vscode';
import type { Ctx, ServiceKey } from '../../ctx';
import { regionEffect } from '../../core/completion/regionEdits';
import { GeneratedDecorations } from './generatedDecorations';
import { registerTokenHover } from './generatedTokenHover';

import type { GeneratedPiece } from '../../core/completion/tokenPlacer';

export type { GeneratedPiece } from '../../core/completion/tokenPlacer';

/**
 * Remembers, per document, where inserted or accepted completions are and their tokens. Edits before
 * a piece shift it; an edit touching a piece drops it (its numbers no longer describe the text).
 * The hover and the decorations start with the first completion stored.
 */
export class GeneratedTokens implements vscode.Disposable {
  private readonly byDocument = new Map<string, GeneratedPiece[]>();
  /** Per document, the last completion inserted or accepted there (streamed in over several `add`s). */
  private readonly lastCompletionOf = new Map<string, { end: number; text: string }>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private uiStarted = false;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
    ];
  }

  add(document: vscode.TextDocument, pieces: readonly GeneratedPiece[]): void {
    if (pieces.length === 0) return;
    this.startUi();
    const key = document.uri.toString();
    this.rememberLast(document, pieces);
    const list = [...(this.byDocument.get(key) ?? []), ...pieces.filter((p) => p.end > p.start)];
    list.sort((a, b) => a.start - b.start);
    this.byDocument.set(key, list);
    this.changed.fire(document.uri);
  }

  pieces(uri: vscode.Uri): readonly GeneratedPiece[] {
    return this.byDocument.get(uri.toString()) ?? [];
  }

  /** The token under `offset` (a position right after a token's last character counts as on it). */
  tokenAt(uri: vscode.Uri, offset: number): GeneratedPiece | undefined {
    const tokens = this.pieces(uri).filter((p) => p.token);
    return tokens.find((p) => p.start <= offset && offset < p.end) ?? tokens.find((p) => p.end === offset);
  }

  /** The last completion inserted or accepted in the document, as it was generated. */
  lastCompletion(uri: vscode.Uri): string | undefined {
    return this.lastCompletionOf.get(uri.toString())?.text;
  }

  /** Pieces that continue the last completion (a stream's next chunk) extend it; others start a new one. */
  private rememberLast(document: vscode.TextDocument, pieces: readonly GeneratedPiece[]): void {
    const key = document.uri.toString();
    const start = Math.min(...pieces.map((p) => p.start));
    const end = Math.max(...pieces.map((p) => p.end));
    const text = document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end)));
    const last = this.lastCompletionOf.get(key);
    this.lastCompletionOf.set(
      key,
      last && last.end === start ? { end, text: last.text + text } : { end, text },
    );
  }

  forget(uri: vscode.Uri): void {
    this.lastCompletionOf.delete(uri.toString());
    if (this.byDocument.delete(uri.toString())) this.changed.fire(uri);
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const last = this.lastCompletionOf.get(key);
    if (last) {
      // Edits before the last completion's end move it; edits touching it make it no longer the text shown.
      const effect = regionEffect(last.end - last.text.length, last.end, event.contentChanges, false);
      if (effect.kind === 'conflict') this.lastCompletionOf.delete(key);
      else if (effect.by !== 0) this.lastCompletionOf.set(key, { ...last, end: last.end + effect.by });
    }
    const list = this.byDocument.get(key);
    if (!list || event.contentChanges.length === 0) return;
    const kept: GeneratedPiece[] = [];
    let touched = false;
    for (const piece of list) {
      const effect = regionEffect(piece.start, piece.end, event.contentChanges, false);
      if (effect.kind === 'conflict') {
        touched = true;
        continue;
      }
      if (effect.by !== 0) touched = true;
      kept.push(
        effect.by === 0 ? piece : { ...piece, start: piece.start + effect.by, end: piece.end + effect.by },
      );
    }
    if (!touched) return;
    if (kept.length > 0) this.byDocument.set(key, kept);
    else this.byDocument.delete(key);
    this.changed.fire(event.document.uri);
  }

  private startUi(): void {
    if (this.uiStarted) return;
    this.uiStarted = true;
    this.ctx.own(registerTokenHover(this));
    this.ctx.own(new GeneratedDecorations(this, this.ctx.settings));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.byDocument.clear();
    this.lastCompletionOf.clear();
  }
}

export const generatedTokens: ServiceKey<GeneratedTokens> = {
  name: 'generatedTokens',
  create: (ctx) => new GeneratedTokens(ctx),
};
