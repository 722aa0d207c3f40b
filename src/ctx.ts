import * as vscode from 'vscode';
import * as path from 'node:path';
import type * as Features from './features/index';
import type { SettingsEvents } from './config';
import { CommandRuns, type CommandRun } from './commandRun';
import { PromptStatusBar } from './statusBar';

/** A long-lived service of the feature bundle, created on first use and owned by the context. */
export interface ServiceKey<T> {
  readonly name: string;
  create(ctx: Ctx): T;
}

/**
 * While "Complete Inline" asks VS Code for ghost text, the next inline request is the user's own: it
 * takes the command's run, so the provider's errors offer what the command's would ("Go to line").
 */
export class InlineRequest {
  private armed: CommandRun | undefined;

  get pending(): boolean {
    return this.armed !== undefined;
  }

  /** Runs `ask` with the request armed; true when a provider call took it. */
  async during(run: CommandRun, ask: () => Thenable<unknown>): Promise<boolean> {
    this.armed = run;
    try {
      await ask();
      return this.armed === undefined;
    } finally {
      this.armed = undefined;
    }
  }

  /** The command run for the first provider call of a request (it serves the request), none after. */
  take(): CommandRun | undefined {
    const run = this.armed;
    this.armed = undefined;
    return run;
  }
}

/**
 * The one object that owns the extension's state and every disposable. Commands and providers get
 * it; nothing else keeps global state. Heavy modules load through `features()` on first use.
 */
export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly statusBar: PromptStatusBar;
  private settingsEvents: SettingsEvents | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly services = new Map<string, unknown>();
  private featuresModule: typeof Features | undefined;
  /** "Complete Inline" under way: the provider answers it outside auto-trigger. */
  readonly inlineRequest = new InlineRequest();
  /** The command run under way (its profile choice, "Run with the active profile"). */
  readonly runs = new CommandRuns();

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Prompt Lens', { log: true }));
    this.statusBar = this.own(new PromptStatusBar());
  }

  get secrets(): vscode.SecretStorage {
    return this.extension.secrets;
  }

  /** The one listener to settings changes, and the values derived from them (started with the features). */
  get settings(): SettingsEvents {
    return (this.settingsEvents ??= this.own(new (this.features().SettingsEvents)()));
  }

  /** Registers a disposable for the extension's lifetime and returns it. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** The service for `key`, created on first use; disposed with the context if it is disposable. */
  service<T>(key: ServiceKey<T>): T {
    if (!this.services.has(key.name)) {
      const created = key.create(this);
      this.services.set(key.name, created);
      const disposable = created as unknown as Partial<vscode.Disposable>;
      if (disposable && typeof disposable.dispose === 'function') this.own(disposable as vscode.Disposable);
    }
    return this.services.get(key.name) as T;
  }

  /** Loads the feature bundle (HTTP client, template engine, webview host) the first time it is needed. */
  features(): typeof Features {
    if (!this.featuresModule) {
      const started = performance.now();
      // A plain require of a sibling bundle: esbuild leaves it alone, so it is read only now.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.featuresModule = require(
        path.join(this.extension.extensionPath, 'dist', 'features.js'),
      ) as typeof Features;
      this.log.info(`features loaded in ${(performance.now() - started).toFixed(1)} ms`);
    }
    return this.featuresModule;
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        this.log.error(`dispose failed: ${String(error)}`);
      }
    }
    this.services.clear();
  }
}
