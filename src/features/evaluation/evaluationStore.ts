import * as vscode from 'vscode';
import type { EvaluateResult } from '../../core/backend';
import { PerDocumentMemory } from '../../core/useCases/index';
import type { Ctx, ServiceKey } from '../../ctx';
import { evaluationMarkdown, type EvaluationMeta } from '../../core/completion/evaluationReport';

export const RESULT_SCHEME = 'promptlens-result';

export interface Evaluation {
  result: EvaluateResult;
  meta: EvaluationMeta;
  document: vscode.Uri;
}

/**
 * The latest evaluation (for the panel and the details view) and the expected text typed per document, served
 * read-only as markdown under `promptlens-result:`.
 */
export class EvaluationStore implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly updated = new vscode.EventEmitter<Evaluation>();
  readonly onDidUpdate = this.updated.event;
  private readonly registration: vscode.Disposable;
  private readonly closing: vscode.Disposable;
  latest: Evaluation | undefined;
  /** The expected text last evaluated per document (by URI), offered again for that document only. */
  readonly lastExpected = new PerDocumentMemory();
  readonly detailsUri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: '/Evaluation.md' });

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);
    // A new untitled document may get a closed one's name: it must not inherit its expected text.
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.isUntitled) this.lastExpected.delete(document.uri.toString());
    });
  }

  set(evaluation: Evaluation): void {
    this.latest = evaluation;
    this.lastExpected.set(evaluation.document.toString(), evaluation.meta.expected);
    this.updated.fire(evaluation);
    this.changed.fire(this.detailsUri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    if (uri.path !== this.detailsUri.path || !this.latest)
      return 'No evaluation yet: run "Prompt Lens: Evaluate Expected Completion".\n';
    return evaluationMarkdown(this.latest.result, this.latest.meta);
  }

  /**
   * The details beside the prompt, read-only, keeping the focus where the user is: they stay after
   * the run and update in place with the next evaluation.
   */
  async showBeside(): Promise<void> {
    const document = await vscode.workspace.openTextDocument(this.detailsUri);
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
      preview: true,
    });
  }

  dispose(): void {
    this.registration.dispose();
    this.closing.dispose();
    this.changed.dispose();
    this.updated.dispose();
  }
}

export const evaluationStore: ServiceKey<EvaluationStore> = {
  name: 'evaluations',
  create: (_ctx: Ctx) => new EvaluationStore(),
};
