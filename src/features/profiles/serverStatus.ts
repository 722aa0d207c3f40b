// The status bar names the server the active document's requests go to: the profile its `backend:`
// picks ("Aleph Alpha (set by the file)") or the active profile. Read from the same cached rendering
// the diagnostics and the token count use (no second parse), on editor switch, edits and settings.
import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import { RenderCancelledError } from '../../core/render/workerRenderer';
import { describeServer } from '../../core/useCases/index';
import type { Ctx, ServiceKey } from '../../ctx';
import { profileChoice } from '../common/profiles';
import { isPromptFile, renderTemplate } from '../common/promptSource';

const DEBOUNCE_MS = 300;

export class ServerStatus implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped on every update: an older rendering that resolves late does not overwrite a newer one. */
  private generation = 0;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && event.document === vscode.window.activeTextEditor?.document)
          this.schedule(DEBOUNCE_MS);
      }),
      ctx.settings.onDidChange(() => this.schedule(0)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule(0)),
    ];
    this.schedule(0);
  }

  /** Updates after `delayMs` of quiet, outside any command run (whose choices are its own). */
  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = this.ctx.runs.outside(() =>
      setTimeout(() => {
        this.timer = undefined;
        void this.update();
      }, delayMs),
    );
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !isPromptFile(document)) {
      this.ctx.statusBar.setServer(undefined);
      return;
    }
    try {
      const render = await renderTemplate(this.ctx, document);
      if (generation !== this.generation) return;
      this.ctx.statusBar.setServer(describeServer(profileChoice(this.ctx, render.settings.backend)));
    } catch (error) {
      if (error instanceof RenderCancelledError || generation !== this.generation) return;
      this.ctx.log.warn(
        `status bar: could not read the server of ${document.uri.toString(true)}: ${messageOf(error)}`,
      );
      this.ctx.statusBar.setServer(undefined);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

export const serverStatus: ServiceKey<ServerStatus> = {
  name: 'serverStatus',
  create: (ctx) => new ServerStatus(ctx),
};
