import * as vscode from 'vscode';
import type { TextChange } from '../../core/explain/spanTracking';

/** The edits a document gets while a request runs, so a late result lands on the text it scored. */
export class ChangeRecorder implements vscode.Disposable {
  private readonly recorded: { version: number; changes: TextChange[] }[] = [];
  private readonly subscriptions: vscode.Disposable[];
  closed = false;

  constructor(readonly document: vscode.TextDocument) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document !== document || event.contentChanges.length === 0) return;
        this.recorded.push({ version: event.document.version, changes: toTextChanges(event.contentChanges) });
      }),
      vscode.workspace.onDidCloseTextDocument((closed) => {
        if (closed === document) this.closed = true;
      }),
    ];
  }

  /** Edits made after the document had `version`, in order. */
  changesSince(version: number): TextChange[] {
    return this.recorded.filter((r) => r.version > version).flatMap((r) => r.changes);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export function toTextChanges(changes: readonly vscode.TextDocumentContentChangeEvent[]): TextChange[] {
  return changes.map((change) => ({
    offset: change.rangeOffset,
    removed: change.rangeLength,
    inserted: change.text.length,
  }));
}
