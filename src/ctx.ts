import * as vscode from 'vscode';
import * as path from 'node:path';
import type * as Features from './features/index';

/**
 * The one object that owns the extension's state and every disposable. Commands and providers get
 * it; nothing else keeps global state. Heavy modules load through `features()` on first use.
 */
export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  private featuresModule: typeof Features | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Prompt Lens', { log: true }));
  }

  get secrets(): vscode.SecretStorage {
    return this.extension.secrets;
  }

  /** Registers a disposable for the extension's lifetime and returns it. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Loads the feature bundle (HTTP client, template engine, webview host) the first time it is needed. */
  features(): typeof Features {
    if (!this.featuresModule) {
      const started = performance.now();
      // A plain require of a sibling bundle: esbuild leaves it alone, so it is read only now.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.featuresModule = require(path.join(this.extension.extensionPath, 'dist', 'features.js')) as typeof Features;
      this.log.info(`features loaded in ${(performance.now() - started).toFixed(1)} ms`);
    }
    return this.featuresModule;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        console.error('Prompt Lens: dispose failed', error);
      }
    }
  }
}
