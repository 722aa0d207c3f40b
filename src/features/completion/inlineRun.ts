import * as vscode from 'vscode';
import type { Backend, CompletionRequest } from '../../core/backend';
import { CompletionChoices } from './choices';
import { completionDeltas } from '../../core/useCases/index';

/** Identifies where ghost text was asked for: the same document, version and cursor offset. */
export function inlineKey(document: vscode.TextDocument, position: vscode.Position): string {
  return `${document.uri.toString()}#${document.version}@${document.offsetAt(position)}`;
}

let nextId = 1;

/**
 * One streaming request behind ghost text: its text grows until the stream ends. With `n` > 1 it
 * holds each completion apart (by index), to be offered as separate inline suggestions.
 */
export class InlineRun {
  readonly id = nextId++;
  readonly choices = new CompletionChoices();
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

  /** Characters received over every completion: grows whenever any of them grows. */
  get length(): number {
    return this.choices.length;
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
        if (this.choices.add(delta) && delta.text) this.grew.fire();
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
    if (this.length > 0 || this.done) return Promise.resolve();
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
