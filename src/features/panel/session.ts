// One panel webview (an editor panel or the activity-bar view) and its side of the protocol: follows
// the active prompt, applies front matter edits, runs actions and keeps the history.
import { kindOf, messageOf, PromptLensError } from '../../core/errors';
import * as vscode from 'vscode';
import { config } from '../../config';
import type { Ctx } from '../../ctx';
import {
  parseWebviewToHost,
  type HostToWebview,
  type Run,
  type WebviewMessage,
  type WebviewToHost,
} from '../../webview/protocol';
import { NO_PROMPT_STATE } from '../../webview/defaults';
import { backendRegistry } from '../common/backends';
import { readProfiles } from '../common/profiles';
import { renderCache } from '../common/renderCache';
import { activeKind, fileNameOf, isPromptFile } from '../common/promptSource';
import { planVarDefaults, requireVarDefaults } from '../../core/useCases/index';
import { frontMatterEdit, type FrontMatterPath } from '../../core/promptFile/frontMatterEdit';
import { PanelHistory } from './history';
import { panelHtml, webviewOptions } from './html';
import { promptState } from './promptState';
import { runAction } from './runner';

export type PanelLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;

export interface SessionOptions {
  log?: PanelLog;
  history?: PanelHistory;
  /** The document to start with (default: the active editor's). */
  document?: vscode.TextDocument;
}

const STATE_DEBOUNCE_MS = 150;
/** How long a run started by a command waits for a new webview to say it is ready. */
const READY_WAIT_MS = 10_000;

export class PanelSession implements vscode.Disposable {
  private document: vscode.TextDocument | undefined;
  private running: AbortController | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly log: PanelLog;
  readonly history: PanelHistory;
  private disposed = false;
  private markReady: () => void = () => undefined;
  /** Settles when the webview first says `ready` (it then shows runs as they start). */
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly ctx: Ctx,
    private readonly webview: vscode.Webview,
    options: SessionOptions = {},
  ) {
    this.log = options.log ?? ctx.log;
    this.history = options.history ?? new PanelHistory(ctx.extension.workspaceState);
    this.document =
      options.document ??
      vscode.window.activeTextEditor?.document ??
      vscode.window.visibleTextEditors[0]?.document;
    this.subscriptions.push(
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        // Focusing the panel leaves no active editor: keep following the last prompt.
        if (!editor || editor.document.uri.scheme === 'output') return;
        this.document = editor.document;
        this.scheduleState(0);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === this.document) this.scheduleState(STATE_DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document !== this.document) return;
        this.document = undefined;
        this.scheduleState(0);
      }),
      // A file the prompt includes changed on disk: what the panel shows may have too.
      ctx.service(renderCache).onDidDrop((uri) => {
        if (uri === this.document?.uri.toString()) this.scheduleState(STATE_DEBOUNCE_MS);
      }),
      ctx.settings.onDidChange((change) => {
        if (!change.affects(config.section)) return;
        this.postProfiles();
        this.scheduleState(0);
      }),
    );
  }

  /** Sets the webview's options and HTML; the webview then says `ready`. */
  start(): void {
    this.webview.options = webviewOptions(this.ctx.extension.extensionUri);
    this.webview.html = panelHtml(this.webview, this.ctx.extension.extensionUri);
  }

  get activeDocument(): vscode.TextDocument | undefined {
    return this.document;
  }

  /** Handles one message from the webview. Never throws: bad messages are logged and dropped. */
  async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewToHost(raw);
    if (!parsed.ok) {
      this.log.warn(`panel: rejected a message from the webview: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.message);
    } catch (error) {
      const message = messageOf(error);
      this.log.error(`panel: ${parsed.message.type} failed: ${message}`);
      this.post({ type: 'notice', level: 'error', message });
    }
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.markReady();
        this.postProfiles();
        this.post({ type: 'history/changed', runs: this.history.list() });
        await this.postState();
        return;
      case 'frontMatter/set':
        await this.setFrontMatter(message.path, message.value);
        return;
      case 'run/start':
        await this.run(message);
        return;
      case 'vars/save':
        await this.saveVars(message.uri, message.values);
        return;
      case 'run/cancel':
        this.running?.abort();
        return;
      case 'models/list':
        await this.listModels(message.profile);
        return;
      case 'history/clear':
        await this.history.clear();
        this.post({ type: 'history/changed', runs: [] });
        return;
    }
  }

  /** Applies the edit through a WorkspaceEdit so it lands in undo history like a user's edit. */
  async setFrontMatter(
    path: FrontMatterPath,
    value: WebviewMessage<'frontMatter/set'>['value'],
  ): Promise<void> {
    const document = this.document;
    if (!document || !isPromptFile(document))
      throw new PromptLensError('bad-request', 'Open a .prompt file to edit its parameters.');
    const edit = frontMatterEdit(document.getText(), path, value);
    if (!(await applyTextEdit(document, edit)))
      throw new PromptLensError(
        'bad-request',
        `Could not change \`${path.join('.')}\` in ${fileNameOf(document)}.`,
      );
  }

  /**
   * "Save as defaults": every typed variable written to the file's `vars:` in one edit (one undo
   * step), or none when any cannot be written faithfully (the notice names each and why).
   */
  async saveVars(uri: string, values: Record<string, string>): Promise<void> {
    const document = this.document;
    if (!document || !isPromptFile(document) || document.uri.toString() !== uri)
      throw new PromptLensError(
        'bad-request',
        'Nothing was saved: the panel now shows another file; check its variables and save again.',
      );
    const { edit, saved } = requireVarDefaults(planVarDefaults(document.getText(), values));
    if (!(await applyTextEdit(document, edit)))
      throw new PromptLensError(
        'bad-request',
        `Nothing was saved: ${fileNameOf(document)} did not take the edit.`,
      );
    // The form shows the saved values as the file's before it drops them as typed: no flash of the old ones.
    await this.postState();
    this.post({ type: 'vars/saved', uri, saved });
    this.post({
      type: 'notice',
      level: 'info',
      message: `Saved ${saved.map((name) => `\`${name}\``).join(', ')} as defaults in ${fileNameOf(document)}.`,
    });
  }

  /** Makes `document` the prompt the panel shows and runs (as focusing its editor would). */
  follow(document: vscode.TextDocument): void {
    if (this.document === document) return;
    this.document = document;
    this.scheduleState(0);
  }

  /** Runs an action started by a command (not the form): the file's own variables, the file's or active profile. */
  async runFromCommand(action: Run['action']): Promise<Run> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.ready,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS))),
    ]);
    clearTimeout(timer);
    return this.run({ type: 'run/start', action, vars: {} }, { rethrow: true });
  }

  /**
   * `rethrow`: a command's run fails like the command (after the panel shows the error), so its
   * notification offers what to do next (e.g. "Run with the active profile").
   */
  private async run(request: WebviewMessage<'run/start'>, { rethrow = false } = {}): Promise<Run> {
    const document = this.document;
    if (!document) throw new PromptLensError('bad-request', 'Open a prompt in an editor first.');
    // Expected, Target and variables were typed for the file the form showed: never run them on another.
    if (request.uri !== undefined && request.uri !== document.uri.toString())
      throw new PromptLensError(
        'bad-request',
        `The panel now shows ${fileNameOf(document)}, not the file the values were typed for; check them and run again.`,
      );
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const id = `pending-${Date.now().toString(36)}`;
    this.post({ type: 'run/started', id, action: request.action });
    let run: Run;
    try {
      run = await runAction(this.ctx, document, request, controller.signal, (progress) => {
        if (!controller.signal.aborted) this.post({ type: 'run/progress', id, ...progress });
      });
    } catch (error) {
      const kind = kindOf(error) ?? 'error';
      const message = controller.signal.aborted ? 'Cancelled.' : messageOf(error);
      this.log.error(`panel: ${request.action} failed (${kind}): ${message}`);
      run = {
        id,
        time: Date.now(),
        action: request.action,
        fileName: fileNameOf(document),
        uri: document.uri.toString(),
        profile: request.profile ?? '',
        promptText: '',
        images: [],
        params: {},
        vars: request.vars,
        error: { kind: controller.signal.aborted ? 'cancelled' : kind, message },
      };
      this.post({ type: 'run/finished', run });
      if (rethrow && !controller.signal.aborted) throw error;
      return run;
    } finally {
      if (this.running === controller) this.running = undefined;
    }
    if (!run.error) {
      const runs = await this.history.add(run);
      this.post({ type: 'history/changed', runs });
    }
    this.post({ type: 'run/finished', run });
    return run;
  }

  private async listModels(profile: string | undefined): Promise<void> {
    let name = profile ?? config.activeProfile();
    try {
      const connection = await this.ctx.service(backendRegistry).connect(profile || undefined);
      name = connection.profile.name;
      const models = await connection.backend.models();
      this.post({ type: 'models/listed', profile: name, models: models.map((m) => m.id) });
    } catch (error) {
      this.post({
        type: 'models/listed',
        profile: name,
        models: [],
        error: messageOf(error),
      });
    }
  }

  private postProfiles(): void {
    const profiles = readProfiles(this.ctx).map(({ name, kind, model }) => ({
      name,
      kind,
      ...(model !== undefined && { model }),
    }));
    this.post({ type: 'profiles/changed', profiles, active: config.activeProfile() });
  }

  private scheduleState(delay: number): void {
    if (this.stateTimer) clearTimeout(this.stateTimer);
    this.stateTimer = setTimeout(() => void this.postState(), delay);
  }

  private async postState(): Promise<void> {
    const document = this.document;
    if (!document) {
      this.post({ type: 'prompt/changed', state: NO_PROMPT_STATE });
      return;
    }
    try {
      const state = await promptState(this.ctx, document, activeKind(this.ctx));
      if (document === this.document) this.post({ type: 'prompt/changed', state });
    } catch (error) {
      this.log.error(`panel: could not read ${document.uri.toString()}: ${messageOf(error)}`);
    }
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    void Promise.resolve(this.webview.postMessage(message)).catch(() => undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.running?.abort();
    if (this.stateTimer) clearTimeout(this.stateTimer);
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
  }
}

/** Replaces `edit`'s offsets of `document` through a WorkspaceEdit, so it lands in undo history like a user's edit. */
function applyTextEdit(
  document: vscode.TextDocument,
  edit: { start: number; end: number; text: string },
): Thenable<boolean> {
  const workspaceEdit = new vscode.WorkspaceEdit();
  workspaceEdit.replace(
    document.uri,
    new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)),
    edit.text,
  );
  return vscode.workspace.applyEdit(workspaceEdit);
}
