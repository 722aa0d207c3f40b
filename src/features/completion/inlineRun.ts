import * as vscode from 'vscode';
import type { Backend, CompletionRequest } from '../../core/backend';
import { completionDeltas } from '../../core/useCases/index';
import { TokenPlacer } from '../../core/completion/tokenPlacer';

/** Identifies where ghost text was asked for: the same document, version and cursor offset. */
export function inlineKey(document: vscode.TextDocument, position: vscode.Position): string {
  return `${document.uri.toString()}#${document.version}@${document.offsetAt(position)}`;
}

let nextId = 1;

/** One streaming completion behind ghost text: its text grows until the stream ends. */
export class InlineRun {
  readonly id = nextId++;
  readonly placer = new TokenPlacer();
  readonly abort = new AbortController();
  done = false;
  error: unknown;
  private readonly grew = new vscode.EventEmitter<void>();
  readonly onDidGrow = this.grew.event;

  constructor(
    readonly key: string,
    readonly uri: string,
    readonly version: number,
    readonly offset: number,
  ) {}

  get text(): string {
    return this.placer.completionText;
  }

  async start(
    backend: Backend,
    canStream: boolean,
    request: Omit<CompletionRequest, 'signal'>,
  ): Promise<void> {
    try {
      for await (const delta of completionDeltas(backend, canStream, {
        ...request,
        signal: this.abort.signal,
      })) {
        this.placer.add(delta.text, delta.tokens);
        if (delta.text) this.grew.fire();
      }
    } catch (error) {
      this.error = error;
    } finally {
      this.done = true;
      this.grew.fire();
      this.grew.dispose();
    }
  }

  /** Resolves once there is text (or the run ended, or the caller gave up). */
  waitForText(token: vscode.CancellationToken): Promise<void> {
    if (this.text || this.done) return Promise.resolve();
    return new Promise((resolve) => {
      const subscriptions: vscode.Disposable[] = [];
      const finish = (): void => {
        subscriptions.forEach((s) => s.dispose());
        resolve();
      };
      subscriptions.push(this.onDidGrow(finish), token.onCancellationRequested(finish));
    });
  }

  cancel(): void {
    if (!this.done) this.abort.abort();
  }
}
