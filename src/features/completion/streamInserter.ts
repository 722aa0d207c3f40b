import * as vscode from 'vscode';
import { regionEffect } from '../../core/completion/regionEdits';

export interface InsertedChunk {
  /** Offset of the chunk in the completion text (as inserted, i.e. with the document's line endings). */
  completionOffset: number;
  /** Document offset it landed at. */
  documentOffset: number;
  text: string;
}

const MAX_REFUSED_EDITS = 20;

/** The text as it goes into the document: with the document's line endings. */
export function withDocumentEol(document: vscode.TextDocument, text: string): string {
  return document.eol === vscode.EndOfLine.CRLF ? text.replace(/\r?\n/g, '\r\n') : text;
}

/**
 * Appends streamed text to a document at an anchor that follows the user's edits: edits before the
 * inserted region shift it; an edit inside it or at its growing end makes the place unreliable, so
 * insertion stops (`detachedReason`) and the rest is handed back by `end()`. Edits are applied one at a
 * time (text arriving meanwhile is coalesced), each checked against the document version by VS Code,
 * and grouped into one undo step.
 */
export class StreamInserter implements vscode.Disposable {
  private start: number;
  private inserted = 0;
  private pending = '';
  private ended = false;
  private firstEdit = true;
  private refused = 0;
  private own: { offset: number; text: string } | undefined;
  private loop: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[];
  detachedReason: string | undefined;

  constructor(
    private readonly document: vscode.TextDocument,
    offset: number,
    private readonly onInserted: (chunk: InsertedChunk) => void,
  ) {
    this.start = offset;
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.document && event.contentChanges.length > 0)
          this.onChange(event.contentChanges);
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === this.document) this.detach('the document was closed');
      }),
    ];
  }

  /** Document offset where the inserted text starts, and its length so far. */
  get region(): { start: number; length: number } {
    return { start: this.start, length: this.inserted };
  }

  push(text: string): void {
    if (!text || this.ended) return;
    this.pending += withDocumentEol(this.document, text);
    this.kick();
  }

  /** No more text. Resolves when the last edit is applied, with the text that could not be inserted. */
  async end(): Promise<string> {
    this.ended = true;
    this.kick();
    while (this.loop) await this.loop;
    return this.pending;
  }

  private kick(): void {
    if (this.loop || this.detachedReason || !this.pending) return;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      this.kick();
    });
  }

  private async run(): Promise<void> {
    while (this.pending && !this.detachedReason) {
      const text = this.pending;
      const offset = this.start + this.inserted;
      this.own = { offset, text };
      const applied = await this.apply(offset, text, this.ended);
      if (this.own) {
        // VS Code refused it (the document changed in between): try again at the updated place.
        this.own = undefined;
        if (!applied && ++this.refused > MAX_REFUSED_EDITS) this.detach('the editor kept refusing the edit');
      }
    }
  }

  private async apply(offset: number, text: string, last: boolean): Promise<boolean> {
    const position = this.document.positionAt(offset);
    const options = { undoStopBefore: this.firstEdit, undoStopAfter: last };
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === this.document);
    let applied: boolean;
    if (editor) {
      applied = await editor
        .edit((builder) => builder.insert(position, text), options)
        .then(
          (ok) => ok,
          () => false,
        );
    } else {
      const edit = new vscode.WorkspaceEdit();
      edit.insert(this.document.uri, position, text);
      applied = await vscode.workspace.applyEdit(edit);
    }
    if (applied) this.firstEdit = false;
    return applied;
  }

  private onChange(changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    const own = this.own;
    const only = changes.length === 1 ? changes[0] : undefined;
    if (own && only && only.rangeOffset === own.offset && only.rangeLength === 0 && only.text === own.text) {
      this.own = undefined;
      const completionOffset = this.inserted;
      this.inserted += own.text.length;
      this.pending = this.pending.slice(own.text.length);
      this.onInserted({ completionOffset, documentOffset: own.offset, text: own.text });
      return;
    }
    if (this.detachedReason) return;
    const effect = regionEffect(this.start, this.start + this.inserted, changes, true);
    if (effect.kind === 'conflict')
      this.detach('the document was edited where the completion was being inserted');
    else this.start += effect.by;
  }

  private detach(reason: string): void {
    this.detachedReason ??= reason;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
